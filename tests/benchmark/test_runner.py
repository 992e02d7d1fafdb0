"""The suite runner with fake train/test commands: records, skipping, resuming, failures."""
import dataclasses
import json
import os
import os.path as osp
import shutil

import pytest

from _benchmark_paths import FIXTURES
from mmkd_rs.benchmark.provenance import sha256_file
from mmkd_rs.benchmark.records import load_record, record_path
from mmkd_rs.benchmark.suite import load_suite, select_entries

@pytest.fixture
def env(fake_tools):
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    return suite, fake_tools.make_runner, fake_tools.read_calls, fake_tools.results


def _work_dir_of_call(call):
    return call['argv'][call['argv'].index('--work-dir') + 1]


def test_runs_every_entry_and_writes_records(env):
    suite, make_runner, read_calls, results = env
    records = make_runner().run(suite, suite.entries)
    assert [(r['entry'], r['seed'], r['status']) for r in records] == [
        ('teacher', 0, 'finished'), ('student', 0, 'finished'), ('student', 1, 'finished'),
        ('kd', 0, 'finished'), ('kd', 1, 'finished'), ('pretrain', 0, 'finished'),
        ('pretrain', 1, 'finished')]  # placeholder 'later' not run
    kd = load_record(record_path(str(results), 'fake-suite', 'kd', 1))
    assert kd['metrics'] == {'F1': 71.0, 'IoU': 51.0}
    assert kd['train']['per_iter_s'] == pytest.approx(0.30) and kd['train']['iters'] == 20
    assert kd['train']['total_s'] > 0
    assert kd['curves']['loss'] == [[10, 1.0], [20, 0.5]] and kd['curves']['F1'] == [[20, 60.0]]
    teacher = load_record(record_path(str(results), 'fake-suite', 'teacher', 0))
    teacher_ckpt = osp.join(results.parent, 'work', teacher['checkpoint'])
    assert kd['teacher_checkpoint_sha256'] == sha256_file(teacher_ckpt)
    assert len(kd['config_hash']) == 64 and kd['config_hash'] != teacher['config_hash']
    # the suite's manifest gives the hash the runner wrote: the pages compare the two
    hashes = {e['name']: e['config_hashes'] for e in suite.manifest()['entries']}
    assert hashes['kd']['1'] == kd['config_hash'] and hashes['kd']['0'] != kd['config_hash']
    assert hashes['teacher'] == {'0': teacher['config_hash']} and hashes['later'] == {}
    assert kd['started_at'] <= kd['finished_at']
    kd_train = [c['argv'] for c in read_calls() if c['mode'] == 'train'
                and '/kd/' in c['argv'][c['argv'].index('--work-dir') + 1]]
    assert f'model.teacher_ckpt={teacher_ckpt}' in kd_train[0]
    assert 'randomness.seed=0' in kd_train[0] and 'train_cfg.max_iters=20' in kd_train[0]
    assert '--resume' in kd_train[0]
    pretrain = [c['argv'] for c in read_calls() if c['mode'] == 'train'
                and '/pretrain/' in c['argv'][c['argv'].index('--work-dir') + 1]]
    assert f'load_from={teacher_ckpt}' in pretrain[0]  # baseline starts from it


def test_finished_runs_are_skipped(env):
    suite, make_runner, read_calls, _ = env
    make_runner().run(suite, suite.entries)
    n_calls = len(read_calls())
    again = make_runner().run(suite, suite.entries)
    assert len(read_calls()) == n_calls  # nothing trained or tested again
    assert all(r['status'] == 'finished' for r in again)


def test_force_retrains_from_an_empty_work_dir(env):
    suite, make_runner, read_calls, results = env
    make_runner().run(suite, suite.entries)
    record = load_record(record_path(str(results), 'fake-suite', 'student', 0))
    stale = osp.join(results.parent, 'work', record['work_dir'], 'stale.txt')
    open(stale, 'w').close()
    n_calls = len(read_calls())
    make_runner().run(suite, [suite.entry('student')], force=True)
    new = read_calls()[n_calls:]
    assert [c['mode'] for c in new] == ['train', 'test', 'train', 'test']
    assert not osp.exists(stale)  # the work dir was emptied: nothing is resumed
    again = load_record(record_path(str(results), 'fake-suite', 'student', 0))
    assert again['status'] == 'finished' and again['finished_at'] >= record['finished_at']


def test_distill_runs_made_before_paired_random_streams_are_trained_again(env):
    suite, make_runner, read_calls, results = env
    make_runner().run(suite, suite.entries)
    kd_path = record_path(str(results), 'fake-suite', 'kd', 0)
    kd = load_record(kd_path)
    assert kd['random_streams'] == 'paired'
    for entry in ('student', 'pretrain'):  # no distillation model: nothing to pair
        assert 'random_streams' not in load_record(
            record_path(str(results), 'fake-suite', entry, 0))
    del kd['random_streams']  # a record of the earlier code
    with open(kd_path, 'w') as f:
        json.dump(kd, f)
    work_dir = osp.join(results.parent, 'work', kd['work_dir'])
    loaded = osp.join(work_dir, 'benchmark_loaded_checkpoints.json')
    with open(loaded) as f:
        noted = json.load(f)
    assert noted.pop('random_streams') == 'paired'
    with open(loaded, 'w') as f:  # the note of a work dir started by the earlier code
        json.dump(noted, f)
    stale = osp.join(work_dir, 'stale.txt')
    open(stale, 'w').close()
    n_calls = len(read_calls())
    log = []
    make_runner(log=log.append).run(suite, suite.entries)
    new = read_calls()[n_calls:]
    assert [_work_dir_of_call(c).split('/work/fake-suite/')[1].split('/')[:2]
            for c in new] == [['kd', 'seed_0-' + kd['config_hash'][:8]]] * 2
    assert load_record(kd_path)['random_streams'] == 'paired'
    # trained from the start, not resumed from the earlier weights
    assert not osp.exists(stale)
    assert any(line.startswith('[new ] fake-suite/kd seed 0') for line in log)


def test_changed_config_reruns_only_that_entry(env):
    suite, make_runner, read_calls, _ = env
    make_runner().run(suite, suite.entries)
    n_calls = len(read_calls())
    suite.entry('student').cfg_options['model.decode_head.channels'] = 4
    make_runner().run(suite, suite.entries)
    new = read_calls()[n_calls:]
    dirs = {c['argv'][c['argv'].index('--work-dir') + 1].split('/work/fake-suite/')[1]
            .split('/')[0] for c in new}
    assert dirs == {'student'} and len(new) == 4  # 2 seeds x (train + test)


def test_failure_is_recorded_and_retried(env, monkeypatch):
    suite, make_runner, read_calls, results = env
    monkeypatch.setenv('FAKE_FAIL_ON', '/student/seed_1')
    make_runner().run(suite, suite.entries)
    failed = load_record(record_path(str(results), 'fake-suite', 'student', 1))
    assert failed['status'] == 'failed'
    assert 'training exited with status 1' in failed['error']
    assert 'RuntimeError: fake failure for /student/seed_1' in failed['error']
    assert load_record(record_path(str(results), 'fake-suite', 'student', 0))['status'] == \
        'finished'
    monkeypatch.delenv('FAKE_FAIL_ON')
    n_calls = len(read_calls())
    make_runner().run(suite, suite.entries)
    assert len(read_calls()) == n_calls + 2  # only the failed run again
    retried = load_record(record_path(str(results), 'fake-suite', 'student', 1))
    assert retried['status'] == 'finished'
    launches = open(osp.join(results.parent, 'work', retried['work_dir'],
                             'benchmark_train_seconds.txt')).read()
    assert len(launches.split()) == 2  # the failed launch's time counts too
    assert retried['train']['total_s'] == pytest.approx(sum(map(float, launches.split())))


def test_distill_run_without_teacher_fails_clearly(env, monkeypatch):
    suite, make_runner, _, results = env
    monkeypatch.setenv('FAKE_FAIL_ON', '/teacher/')
    make_runner().run(suite, select_entries(suite, ['kd']), seeds=[0])
    kd = load_record(record_path(str(results), 'fake-suite', 'kd', 0))
    assert kd['status'] == 'failed'
    assert "teacher 'teacher' seed 0 did not finish" in kd['error']


def test_select_entries_adds_teachers_and_filters_tags():
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    assert [e.name for e in select_entries(suite, ['kd'])] == ['teacher', 'kd']
    assert [e.name for e in select_entries(suite, tags=['demo'])] == ['student']


def test_nan_is_written_as_null(tmp_path):
    from mmkd_rs.benchmark.records import new_record, save_record
    record = new_record('s', 'e', 0, 'm', 'student', 'c.py')
    record.update(status='finished', metrics={'precision': float('nan'), 'F1': 0.5},
                  curves={'precision': [[1, float('inf')]]})
    path = save_record(record, str(tmp_path / 'seed_0.json'))
    text = open(path).read()
    assert 'NaN' not in text and 'Infinity' not in text
    assert load_record(path)['metrics'] == {'precision': None, 'F1': 0.5}


def test_config_hash_is_stable_and_sensitive():
    from mmkd_rs.benchmark.provenance import config_hash
    cfg = str(FIXTURES / 'tiny_seg.py')
    base = config_hash(cfg, {'randomness.seed': 0})
    assert base == config_hash(cfg, {'randomness.seed': 0})
    assert base != config_hash(cfg, {'randomness.seed': 1})
    assert base != config_hash(cfg, {'randomness.seed': 0, 'model.decode_head.channels': 4})
    with pytest.raises(FileNotFoundError, match='no_such.py'):
        config_hash(str(FIXTURES / 'no_such.py'))


@pytest.mark.slow
def test_measurements_of_tiny_models(env):
    suite, make_runner, _, results = env
    runner = make_runner()
    runner.measure, runner.fps_repeat, runner.fps_warmup = True, 2, 1
    runner.run(suite, select_entries(suite, ['kd']), seeds=[0])
    teacher = load_record(record_path(str(results), 'fake-suite', 'teacher', 0))
    kd = load_record(record_path(str(results), 'fake-suite', 'kd', 0))
    assert kd['status'] == 'finished', kd['error']
    assert kd['complexity']['params'] == 47270  # the student of tiny_kd.py
    assert kd['complexity']['input_shape'] == [3, 32, 32]
    assert kd['complexity']['flops'] > 0 and kd['speed']['fps_cpu'] > 0
    assert kd['speed']['teacher_forward_ms'] > 0 and kd['speed']['teacher_batch_size'] == 4
    assert kd['speed']['fps_gpu'] is None or kd['hardware']['cuda_device']
    assert teacher['speed']['teacher_forward_ms'] is None


def test_collect_rebuilds_records_from_work_dirs(env):
    suite, make_runner, read_calls, results = env
    make_runner().run(suite, suite.entries)  # fills the work dirs, as a cluster script would
    n_calls = len(read_calls())
    for path in results.glob('fake-suite/*/seed_*.json'):
        path.unlink()
    records = make_runner().run(suite, suite.entries, collect=True)
    assert len(read_calls()) == n_calls  # nothing trained or tested
    assert [(r['entry'], r['seed'], r['status']) for r in records] == [
        ('teacher', 0, 'finished'), ('student', 0, 'finished'), ('student', 1, 'finished'),
        ('kd', 0, 'finished'), ('kd', 1, 'finished'), ('pretrain', 0, 'finished'),
        ('pretrain', 1, 'finished')]
    assert records[-1]['metrics'] == {'F1': 71.0, 'IoU': 51.0}
    assert records[-1]['train']['iters'] == 20


def test_collect_waits_for_unfinished_work_dirs(env):
    suite, make_runner, _, results = env
    assert make_runner().run(suite, select_entries(suite, ['student']), collect=True) == []
    assert not list(results.glob('fake-suite/*/seed_*.json'))  # nothing recorded yet


def test_synthetic_dataset_is_generated_once(tmp_path):
    from mmkd_rs.benchmark.prepare import prepare_dataset
    from mmkd_rs.benchmark.suite import SuiteError
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    suite.dataset = dict(name='made', data_root='made',
                         generate=dict(func='os.makedirs', kwargs=dict(exist_ok=False)))
    lines = []
    assert prepare_dataset(suite, str(tmp_path), lines.append) == str(tmp_path / 'made')
    assert (tmp_path / 'made').is_dir() and len(lines) == 1
    assert prepare_dataset(suite, str(tmp_path), lines.append) == str(tmp_path / 'made')
    assert len(lines) == 1  # exists: not generated again (makedirs would raise)
    suite.dataset = dict(name='real', data_root='absent')
    with pytest.raises(SuiteError, match='not found at'):
        prepare_dataset(suite, str(tmp_path))


def test_a_run_repeated_by_another_suite_is_shared_not_retrained(env):
    """A second suite whose teacher and student are the same runs (same config,
    options, seed, threads and data) reuses their records and weights; its
    distiller, new to it, still trains, and a changed option trains again."""
    suite, make_runner, read_calls, results = env
    make_runner().run(suite, select_entries(suite, ['student', 'kd']))
    n_calls = len(read_calls())
    other = dataclasses.replace(suite, name='other-suite')
    again = make_runner().run(other, select_entries(other, ['student', 'kd']))
    assert len(read_calls()) == n_calls  # nothing trained or tested again
    for entry, seed in (('teacher', 0), ('student', 1), ('kd', 1)):
        mine = load_record(record_path(str(results), 'other-suite', entry, seed))
        first = load_record(record_path(str(results), 'fake-suite', entry, seed))
        assert mine['shared_from'] == f'fake-suite/{entry}/seed_{seed}.json'
        assert mine['suite'] == 'other-suite' and mine['metrics'] == first['metrics']
        assert mine['checkpoint'] == first['checkpoint']  # the same weights, not a copy
    assert [r['status'] for r in again] == ['finished'] * 5
    # a third suite sharing from the second points at the original run
    third = dataclasses.replace(suite, name='third-suite')
    make_runner().run(third, [third.entry('student')], seeds=[0])
    assert load_record(record_path(str(results), 'third-suite', 'student', 0))[
        'shared_from'] == 'fake-suite/student/seed_0.json'
    # other threads, or a changed option: trained anew
    four = dataclasses.replace(suite, name='four', threads=suite.threads + 1)
    make_runner().run(four, [four.entry('student')], seeds=[0])
    assert len(read_calls()) == n_calls + 2
    other.entry('student').cfg_options['model.decode_head.channels'] = 4
    make_runner().run(other, [other.entry('student')], seeds=[0])
    assert len(read_calls()) == n_calls + 4
    assert 'shared_from' not in load_record(record_path(str(results), 'other-suite',
                                                        'student', 0))
    # a run made on another CPU model is not what this machine would make
    for name in ('fake-suite', 'other-suite'):  # the records of student seed 1
        path = record_path(str(results), name, 'student', 1)
        record = load_record(path)
        record['hardware']['cpu_model'] = 'another CPU'
        with open(path, 'w') as f:
            json.dump(record, f)
    five = dataclasses.replace(suite, name='five')
    n_calls = len(read_calls())
    make_runner().run(five, [five.entry('student')], seeds=[1])
    assert len(read_calls()) == n_calls + 2
    assert 'shared_from' not in load_record(record_path(str(results), 'five', 'student', 1))


def test_records_without_weights_train_again_only_where_a_run_loads_them(env):
    """A fresh clone has the committed records but no weights: a run whose
    checkpoint another run loads (the teacher) is trained again, into the same
    work dir and so the same weights; every other finished run is skipped, and a
    run another suite repeats is shared on its record alone unless loaded."""
    suite, make_runner, read_calls, results = env
    make_runner().run(suite, suite.entries)
    teacher_path = record_path(str(results), 'fake-suite', 'teacher', 0)
    teacher = load_record(teacher_path)
    kd_before = load_record(record_path(str(results), 'fake-suite', 'kd', 1))
    shutil.rmtree(results.parent / 'work')
    n_calls = len(read_calls())
    log = []
    again = make_runner(log=log.append).run(suite, suite.entries)
    new = read_calls()[n_calls:]
    assert [(c['mode'], _work_dir_of_call(c).split('/work/fake-suite/')[1].split('/')[0])
            for c in new] == [('train', 'teacher'), ('test', 'teacher')]
    assert any(line.startswith('[again] fake-suite/teacher seed 0: finished, but its '
                               'checkpoint') for line in log)
    assert sum(line.startswith('[skip]') for line in log) == 6  # students, kd, pretrain
    assert all(r['status'] == 'finished' for r in again)
    assert osp.isfile(osp.join(results.parent, 'work', load_record(teacher_path)['checkpoint']))
    assert load_record(teacher_path)['metrics'] == teacher['metrics']
    assert load_record(record_path(str(results), 'fake-suite', 'kd', 1)) == kd_before
    # nothing loads the student: another suite shares it without its weights
    shutil.rmtree(results.parent / 'work')
    n_calls = len(read_calls())
    other = dataclasses.replace(suite, name='other-suite')
    make_runner().run(other, [other.entry('student')])
    assert len(read_calls()) == n_calls
    assert load_record(record_path(str(results), 'other-suite', 'student', 1))[
        'shared_from'] == 'fake-suite/student/seed_1.json'
    # the teacher is loaded by the kd run: without weights it is not shared
    make_runner().run(other, select_entries(other, ['kd']), seeds=[0])
    teacher_other = load_record(record_path(str(results), 'other-suite', 'teacher', 0))
    assert 'shared_from' not in teacher_other
    assert osp.isfile(osp.join(results.parent, 'work', teacher_other['checkpoint']))


def test_a_work_dir_trained_with_another_teacher_is_not_resumed(env):
    """An unfinished distillation work dir resumes only with the teacher it was
    started with; after the teacher changed it starts over."""
    suite, make_runner, read_calls, results = env
    make_runner().run(suite, select_entries(suite, ['kd']), seeds=[0])
    path = record_path(str(results), 'fake-suite', 'kd', 0)
    kd = load_record(path)
    stale = osp.join(results.parent, 'work', kd['work_dir'], 'stale.txt')

    def interrupted_rerun(runner_log):
        open(stale, 'w').close()
        os.remove(path)  # as if the run had been interrupted before its record
        make_runner(log=runner_log.append).run(suite, select_entries(suite, ['kd']),
                                               seeds=[0])

    log = []
    interrupted_rerun(log)  # same teacher: resumed, work dir kept
    assert osp.exists(stale) and not any(line.startswith('[new ]') for line in log)
    suite.entry('teacher').cfg_options['model.decode_head.channels'] = 8  # a new teacher
    log = []
    interrupted_rerun(log)
    assert any(line.startswith('[new ] fake-suite/kd seed 0') for line in log)
    assert not osp.exists(stale)
    again = load_record(path)
    assert again['teacher_checkpoint_sha256'] != kd['teacher_checkpoint_sha256']
