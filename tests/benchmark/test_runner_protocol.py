"""Runner protocol: seeds for every entry, teacher seeds, pinned threads, portable
records, one cost measurement per entry, bit-identical repeated runs."""
import json
import os.path as osp

import pytest
import torch

from _benchmark_paths import FIXTURES, REPO
from mmkd_rs.benchmark.provenance import sha256_file
from mmkd_rs.benchmark.records import load_record, record_path
from mmkd_rs.benchmark.runner import BenchmarkRunner
from mmkd_rs.benchmark.suite import load_suite, select_entries

@pytest.fixture
def env(fake_tools):
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))  # seeds [0, 1]; teacher seeds [0]
    return (suite, fake_tools.make_runner, fake_tools.read_calls,
            fake_tools.records_of('fake-suite'), fake_tools.work)


def _teacher_ckpts(calls, option='model.teacher_ckpt'):
    """{student work dir name: teacher checkpoint option} of the training calls."""
    found = {}
    for call in calls:
        opts = [a for a in call['argv'] if a.startswith(option + '=')]
        if call['mode'] == 'train' and opts:
            work_dir = call['argv'][call['argv'].index('--work-dir') + 1]
            found[osp.basename(work_dir).split('-')[0]] = opts[0].split('=', 1)[1]
    return found


def test_seeds_run_for_every_entry_with_one_fixed_teacher(env):
    suite, make_runner, read_calls, record, work = env
    records = make_runner().run(suite, select_entries(suite, ['kd']), seeds=[0, 1, 2])
    # the suite lists seeds [0, 1] and the teacher [0]: --seeds runs 0, 1, 2 for both
    assert [(r['entry'], r['seed']) for r in records] == [
        ('teacher', 0), ('teacher', 1), ('teacher', 2), ('kd', 0), ('kd', 1), ('kd', 2)]
    teacher0 = str(work / record('teacher', 0)['checkpoint'])
    assert _teacher_ckpts(read_calls()) == {f'seed_{k}': teacher0 for k in range(3)}
    assert {record('kd', k)['teacher_checkpoint_sha256'] for k in range(3)} == {
        sha256_file(teacher0)}


def test_fixed_teacher_seed_is_run_even_outside_the_seeds(env):
    suite, make_runner, read_calls, record, work = env
    records = make_runner().run(suite, select_entries(suite, ['kd']), seeds=[1, 2])
    assert [(r['entry'], r['seed']) for r in records] == [
        ('teacher', 0), ('teacher', 1), ('teacher', 2), ('kd', 1), ('kd', 2)]


def test_same_teacher_seed(env):
    suite, make_runner, read_calls, record, work = env
    suite.entry('kd').teacher_seed = 'same'
    make_runner().run(suite, select_entries(suite, ['kd']), seeds=[0, 1, 2])
    ckpts = _teacher_ckpts(read_calls())
    for k in range(3):
        teacher_k = str(work / record('teacher', k)['checkpoint'])
        assert ckpts[f'seed_{k}'] == teacher_k
        assert record('kd', k)['teacher_checkpoint_sha256'] == sha256_file(teacher_k)
    assert len(set(ckpts.values())) == 3


def test_threads_are_pinned_and_recorded(env):
    suite, make_runner, read_calls, record, _ = env
    make_runner().run(suite, [suite.entry('student')])
    assert {tuple(c['threads']) for c in read_calls()} == {('1', '1')}  # default 1
    assert record('student', 0)['hardware']['threads'] == 1
    suite.threads = 2
    make_runner().run(suite, [suite.entry('student')], seeds=[5])
    assert read_calls()[-1]['threads'] == ['2', '2']
    assert record('student', 5)['hardware']['threads'] == 2


def test_tools_pin_torch_threads_from_the_environment(monkeypatch):
    from mmkd_rs.utils.tool_utils import pin_torch_threads
    before = torch.get_num_threads()
    try:
        monkeypatch.setenv('OMP_NUM_THREADS', '3')  # more than this machine's 2 cores
        pin_torch_threads()
        assert torch.get_num_threads() == 3
        torch.set_num_threads(1)
        monkeypatch.delenv('OMP_NUM_THREADS')
        pin_torch_threads()  # unset: left as it is
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_records_hold_no_machine_paths(env, monkeypatch):
    suite, make_runner, read_calls, record, work = env
    monkeypatch.setenv('FAKE_FAIL_ON', '/student/seed_1')
    make_runner().run(suite, suite.entries)
    for path in (work.parent / 'results').glob('fake-suite/*/seed_*.json'):
        text = path.read_text()
        assert str(work.parent) not in text and str(REPO) not in text, path
    kd = record('kd', 0)
    assert kd['work_dir'] == f'fake-suite/kd/seed_0-{kd["config_hash"][:8]}'
    assert kd['checkpoint'] == kd['work_dir'] + '/iter_20.pth'
    assert sorted(kd['hardware']) == ['cpu_count', 'cpu_model', 'cuda_device', 'threads']
    failed = record('student', 1)
    assert '(full log: <work_root>/fake-suite/student/seed_1-' in failed['error']
    # records written before paths were relative still lead to their teacher
    teacher_path = record_path(str(work.parent / 'results'), 'fake-suite', 'teacher', 0)
    teacher = load_record(teacher_path)
    absolute = str(work / teacher['checkpoint'])
    with open(teacher_path, 'w') as f:
        json.dump(dict(teacher, checkpoint=absolute), f)
    make_runner().run(suite, [suite.entry('kd')], seeds=[0], force=True)
    assert record('kd', 0)['status'] == 'finished'
    assert _teacher_ckpts(read_calls()[-2:]) == {'seed_0': absolute}


def test_cost_is_measured_once_per_entry(env, monkeypatch):
    suite, make_runner, _, record, _ = env
    suite.threads = 3
    measured = []

    def fake_measure(self, entry, options, shape=None):
        measured.append((entry.name, options['randomness.seed'], torch.get_num_threads()))
        return dict(complexity=dict(params=len(measured), flops=10, input_shape=[3, 8, 8]),
                    speed=dict(fps_cpu=5.0, cpu_threads=torch.get_num_threads()))

    monkeypatch.setattr(BenchmarkRunner, '_measure', fake_measure)
    before = torch.get_num_threads()
    make_runner(measure=True).run(suite, select_entries(suite, ['kd']), seeds=[0, 1, 2])
    # once per entry, by its first seed, with the suite's thread count
    assert measured == [('teacher', 0, 3), ('kd', 0, 3)]
    assert torch.get_num_threads() == before
    for seed in range(3):
        kd = record('kd', seed)
        assert kd['complexity']['params'] == 2 and kd['complexity']['model'] == 'student'
        assert kd['complexity']['measured_seed'] == kd['speed']['measured_seed'] == 0
        assert kd['speed']['cpu_threads'] == 3 and kd['train']['iters'] == 20  # still trained
    assert record('teacher', 2)['complexity']['model'] == 'teacher'
    # a later invocation adding a seed reuses the finished records' measurement
    make_runner(measure=True).run(suite, select_entries(suite, ['kd']), seeds=[0, 1, 2, 3])
    assert len(measured) == 2
    assert record('kd', 3)['complexity']['params'] == 2
    assert record('kd', 3)['complexity']['measured_seed'] == 0


@pytest.mark.slow
def test_same_seed_and_threads_give_identical_metrics(tmp_path):
    """Two real tiny runs (tools/train.py + tools/test.py) of one seed: equal metrics."""
    from _tiny import write_tiny_config, write_tiny_dataset
    data = write_tiny_dataset(tmp_path / 'data', num_train=4, num_val=2, size=32)
    config = write_tiny_config(tmp_path / 'tiny.py', data, iters=3, ckpt_interval=3)
    (tmp_path / 'suite.py').write_text(
        "suite = 'repeat'\nthreads = 1\nleaderboards = [dict(name='r', main_metric='mIoU', "
        f"metrics=['mIoU'])]\nentries = [dict(name='student', role='student', "
        f"config={config!r})]\n")
    suite = load_suite(str(tmp_path / 'suite.py'))
    metrics = []
    for run in ('a', 'b'):
        runner = BenchmarkRunner(str(tmp_path / run / 'results'), str(tmp_path / run / 'work'),
                                 repo_root=str(REPO), measure=False, log=lambda s: None)
        (record, ) = runner.run(suite, suite.entries, seeds=[7])
        assert record['status'] == 'finished', record['error']
        assert record['hardware']['threads'] == 1
        metrics.append((record['metrics'], record['curves']['loss']))
    assert metrics[0] == metrics[1]  # test metrics and every logged loss, bit for bit
    assert metrics[0][0]['mIoU'] is not None and len(metrics[0][1]) == 3
