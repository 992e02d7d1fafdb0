"""Entries that load checkpoints of several other entries (``checkpoints``):
run order and seeds, cfg-options, recorded sha256, reuse, failures, cluster
scripts, ``--list``, suite errors and the MTKD suite."""
import json
import subprocess

import pytest

from _benchmark_paths import FIXTURES, REPO
from mmkd_rs.benchmark.emit import emit_script
from mmkd_rs.benchmark.provenance import checkpoint_sha256, sha256_file, weights_sha256
from mmkd_rs.benchmark.records import load_record, record_path, save_record
from mmkd_rs.benchmark.suite import (SuiteError, check_configs, load_suite, load_suites,
                                     run_plan, select_entries)

MULTI = str(FIXTURES / 'suite_multi.py')
# cfg-option of 'multi' -> (entry it loads, the seed a fixed teacher_seed loads)
SOURCES = {'model.teacher_ckpt': ('teacher', 0), 'model.teachers.a.ckpt': ('part-a', 1),
           'model.teachers.b.ckpt': ('part-b', 0),
           'model.student.init_cfg.checkpoint': ('student', 0)}


@pytest.fixture
def env(fake_tools):
    return (load_suite(MULTI), fake_tools.make_runner, fake_tools.read_calls,
            fake_tools.records_of('multi-suite'), fake_tools.work)


def _options_of(calls, entry, mode='train'):
    """{seed: {cfg-option: value}} of ``entry``'s ``mode`` calls."""
    found = {}
    for call in calls:
        argv = call['argv']
        work_dir = argv[argv.index('--work-dir') + 1]
        if call['mode'] == mode and f'/{entry}/seed_' in work_dir:
            seed = int(work_dir.split(f'/{entry}/seed_')[1].split('-')[0])
            options = argv[argv.index('--cfg-options') + 1:]
            found[seed] = dict(o.split('=', 1) for o in options)
    return found


def test_every_checkpoint_reaches_its_option_and_record(env):
    suite, make_runner, read_calls, record, work = env
    records = make_runner().run(suite, select_entries(suite, ['multi']))
    assert [(r['entry'], r['seed'], r['status']) for r in records] == [
        ('teacher', 0, 'finished'), ('part-a', 1, 'finished'), ('part-a', 2, 'finished'),
        ('part-b', 0, 'finished'), ('part-b', 1, 'finished'), ('student', 0, 'finished'),
        ('student', 1, 'finished'), ('multi', 0, 'finished'), ('multi', 1, 'finished')]
    expected = {option: str(work / record(source, seed)['checkpoint'])
                for option, (source, seed) in SOURCES.items()}
    assert len(set(expected.values())) == 4  # four different files
    for mode in ('train', 'test'):  # tested with the same options it trained with
        calls = _options_of(read_calls(), 'multi', mode)
        assert sorted(calls) == [0, 1]
        for seed, options in calls.items():
            assert {k: options[k] for k in SOURCES} == expected
            assert options['randomness.seed'] == str(seed)
    for seed in (0, 1):
        multi = record('multi', seed)
        assert multi['checkpoint_sha256'] == {k: sha256_file(p) for k, p in expected.items()}
        assert multi['teacher_checkpoint_sha256'] == sha256_file(expected['model.teacher_ckpt'])
    assert record('student', 0)['checkpoint_sha256'] == {}
    assert record('student', 0)['teacher_checkpoint_sha256'] is None


def test_seeds_of_the_loaded_runs():
    suite = load_suite(MULTI)

    def plan(seeds=None, same=False):
        entries = select_entries(suite.with_seeds(seeds), ['multi'])
        assert entries[0].name == 'multi'  # listed first in the suite file
        entries[0].teacher_seed = 'same' if same else None
        return [(e.name, s, loads) for e, s, loads in run_plan(suite, entries)]

    fixed = {'teacher': 0, 'part-a': 1, 'part-b': 0, 'student': 0}
    assert plan()[-2:] == [('multi', 0, fixed), ('multi', 1, fixed)]
    # --seeds 5: every entry runs 5, the fixed runs stay those of the suite file
    assert plan([5]) == [('teacher', 0, {}), ('teacher', 5, {}), ('part-a', 1, {}),
                         ('part-a', 5, {}), ('part-b', 0, {}), ('part-b', 5, {}),
                         ('student', 0, {}), ('student', 5, {}), ('multi', 5, fixed)]
    # 'same': the run of the same seed where that entry runs it, else its first seed
    same = plan(same=True)
    assert same[-2:] == [
        ('multi', 0, {'teacher': 0, 'part-a': 1, 'part-b': 0, 'student': 0}),
        ('multi', 1, {'teacher': 0, 'part-a': 1, 'part-b': 1, 'student': 1})]
    assert [(n, s) for n, s, _ in same[:-2]] == [
        ('teacher', 0), ('part-a', 1), ('part-a', 2), ('part-b', 0), ('part-b', 1),
        ('student', 0), ('student', 1)]


def test_changed_source_checkpoint_reruns_its_dependent(env):
    suite, make_runner, read_calls, record, work = env
    make_runner().run(suite, suite.entries)
    n_calls = len(read_calls())
    make_runner().run(suite, suite.entries)
    assert len(read_calls()) == n_calls  # all four unchanged: every record reused
    before = record('multi', 0)['checkpoint_sha256']
    (work / record('part-b', 0)['checkpoint']).write_bytes(b'retrained part-b')
    make_runner().run(suite, suite.entries)
    new = read_calls()[n_calls:]
    assert {c['argv'][c['argv'].index('--work-dir') + 1].split('/multi-suite/')[1]
            .split('/')[0] for c in new} == {'multi'}
    assert len(new) == 4  # multi seeds 0 and 1, train + test; part-b itself is finished
    after = record('multi', 0)['checkpoint_sha256']
    assert after['model.teachers.b.ckpt'] == sha256_file(work / record('part-b', 0)['checkpoint'])
    assert after['model.teachers.b.ckpt'] != before['model.teachers.b.ckpt']
    assert {k: v for k, v in after.items() if k != 'model.teachers.b.ckpt'} == \
        {k: v for k, v in before.items() if k != 'model.teachers.b.ckpt'}


def _save_checkpoint(path, weights, meta):
    import torch
    torch.save(dict(meta=meta, state_dict=weights, optimizer=dict(step=meta.get('step', 0))),
               str(path))


def test_checkpoints_are_named_by_their_weights(tmp_path):
    import torch
    w = {'conv.weight': torch.arange(6.).reshape(2, 3), 'bn.num_batches_tracked': torch.tensor(7)}
    a, b, c, d = (tmp_path / f'{n}.pth' for n in 'abcd')
    _save_checkpoint(a, w, dict(time='20260101_000000', work_dir='/here', step=1))
    # the same weights written by another training: other meta, optimizer and key order
    _save_checkpoint(b, dict(reversed(list(w.items()))), dict(time='20261205_000000',
                                                              work_dir='/there', step=2))
    assert sha256_file(str(a)) != sha256_file(str(b))
    assert checkpoint_sha256(str(a)) == checkpoint_sha256(str(b)) == weights_sha256(str(a))
    _save_checkpoint(c, dict(w, **{'conv.weight': w['conv.weight'] + 1e-6}), {})
    _save_checkpoint(d, dict(w, **{'conv.weight': w['conv.weight'].double()}), {})
    assert len({checkpoint_sha256(str(p)) for p in (a, c, d)}) == 3  # values, dtypes count
    plain = tmp_path / 'plain.pth'
    torch.save(w, str(plain))  # a bare {name: tensor} file is its own state_dict
    assert checkpoint_sha256(str(plain)) == checkpoint_sha256(str(a))
    empty = tmp_path / 'empty.pth'
    torch.save(dict(meta={}), str(empty))
    with pytest.raises(ValueError, match='empty.pth.*holds no state_dict'):
        checkpoint_sha256(str(empty))
    other = tmp_path / 'other.bin'
    other.write_bytes(b'not a zip archive')
    assert checkpoint_sha256(str(other)) == sha256_file(str(other))


def test_a_source_trained_again_to_the_same_weights_keeps_its_dependents(env):
    """A checkpoint is named in records by its weights: training part-b again to the
    same weights (a new file: other time, work dir, optimizer state) reruns nothing;
    other weights rerun its dependent; a record holding the file's sha256 (made before
    weights hashing) is still reused."""
    import torch
    suite, make_runner, read_calls, record, work = env
    make_runner().run(suite, suite.entries)
    ckpt = work / record('part-b', 0)['checkpoint']
    weights = {'w': torch.ones(3)}
    _save_checkpoint(ckpt, weights, dict(time='1'))
    make_runner().run(suite, suite.entries)  # bytes -> weights: multi runs again
    n_calls = len(read_calls())
    assert record('multi', 0)['checkpoint_sha256']['model.teachers.b.ckpt'] == \
        weights_sha256(str(ckpt))
    _save_checkpoint(ckpt, weights, dict(time='2'))  # trained again, same weights
    make_runner().run(suite, suite.entries)
    assert len(read_calls()) == n_calls
    for seed in (0, 1):  # as a runner that hashed files would have written them
        path = record_path(str(work.parent / 'results'), 'multi-suite', 'multi', seed)
        old = load_record(path)
        old['checkpoint_sha256']['model.teachers.b.ckpt'] = sha256_file(str(ckpt))
        save_record(old, path)
    make_runner().run(suite, suite.entries)
    assert len(read_calls()) == n_calls
    _save_checkpoint(ckpt, {'w': torch.zeros(3)}, dict(time='2'))  # other weights
    make_runner().run(suite, suite.entries)
    assert len(read_calls()) == n_calls + 4  # multi seeds 0 and 1, train + test


def test_records_without_checkpoint_sha256_are_still_reused(env):
    """Records written before ``checkpoint_sha256`` existed hold the teacher's only."""
    _, make_runner, read_calls, _, work = env
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    make_runner().run(suite, select_entries(suite, ['kd']))
    results = work.parent / 'results'
    path = record_path(str(results), 'fake-suite', 'kd', 0)
    old = load_record(path)
    del old['checkpoint_sha256']
    save_record(old, path)
    n_calls = len(read_calls())
    make_runner().run(suite, select_entries(suite, ['kd']))
    assert len(read_calls()) == n_calls
    old['teacher_checkpoint_sha256'] = '0' * 64  # another teacher: trained again
    save_record(old, path)
    make_runner().run(suite, select_entries(suite, ['kd']))
    assert len(read_calls()) == n_calls + 2


def test_missing_or_failed_source_fails_the_run_naming_it(env, monkeypatch):
    suite, make_runner, read_calls, record, _ = env
    monkeypatch.setenv('FAKE_FAIL_ON', '/part-b/seed_0')
    without_a = [e for e in select_entries(suite, ['multi']) if e.name != 'part-a']
    (multi, ) = [r for r in make_runner().run(suite, without_a, seeds=[0])
                 if r['entry'] == 'multi']
    assert multi['status'] == 'failed'
    assert ("entry 'part-a' (checkpoint for model.teachers.a.ckpt) seed 1 has no result "
            "record (<results>/multi-suite/part-a/seed_1.json); run it first") in multi['error']
    assert not _options_of(read_calls(), 'multi')  # never trained
    make_runner().run(suite, select_entries(suite, ['multi']), seeds=[0])
    assert record('part-a', 1)['status'] == 'finished'
    assert record('part-b', 0)['status'] == 'failed'
    error = record('multi', 0)['error']
    assert record('multi', 0)['status'] == 'failed'
    assert "entry 'part-b' (checkpoint for model.teachers.b.ckpt) seed 0 did not finish" \
        in error


@pytest.mark.parametrize('kind', ['dist', 'slurm'])
def test_emitted_script_passes_every_checkpoint(kind, tmp_path):
    suite = load_suite(MULTI)
    script = emit_script(kind, [(suite, select_entries(suite, ['multi']))], 'wd', 'res',
                         ['suite_multi.py'], repo_root=str(REPO))
    trains = [line for line in script.splitlines() if '_train.sh' in line]
    assert len(trains) == 9  # teacher 0, part-a 1, 2, part-b 0, 1, student 0, 1, multi 0, 1
    multi = [i for i, t in enumerate(trains) if '/multi/' in t]
    assert multi == [7, 8]  # after every run it loads
    for line in (trains[7], [t for t in script.splitlines() if '_test.sh' in t][-1]):
        for option, (source, seed) in SOURCES.items():
            assert f'{option}="$(cat wd/multi-suite/{source}/seed_{seed}-' in line
    path = tmp_path / 'run.sh'
    path.write_text(script)
    assert subprocess.run(['bash', '-n', str(path)]).returncode == 0


def test_list_shows_the_loaded_runs(capsys):
    from test_suites_and_emit import _run_benchmark_tool
    assert _run_benchmark_tool().main([MULTI, '--list', '--only', 'multi']) == 0
    out = capsys.readouterr().out
    assert 'multi                    distill  seeds [0, 1], teacher teacher seed 0' in out
    for option, (source, seed) in list(SOURCES.items())[1:]:
        assert f'{option} <- {source} seed {seed}\n' in out
    assert 'part-a                   baseline seeds [1, 2]' in out


def _write_suite(tmp_path, entries: str):
    path = tmp_path / 'bad.py'
    path.write_text("suite = 'bad'\nleaderboards = [dict(name='b', main_metric='F1')]\n"
                    f"entries = [dict(name='s', role='student', config='x.py'),\n{entries}]\n")
    return str(path)


@pytest.mark.parametrize('entries, message', [
    ("dict(name='d', role='distill', config='x.py', checkpoints={'load_from': 'nobody'})",
     "entry 'd' key \"checkpoints\" maps 'load_from' to 'nobody', which is not another entry"),
    ("dict(name='d', role='distill', config='x.py', checkpoints={'load_from': 'd'})",
     "maps 'load_from' to 'd', which is not another entry"),
    ("dict(name='d', role='distill', config='x.py', checkpoints=['s'])",
     '"checkpoints" must be a dict'),
    ("dict(name='d', role='distill', config='x.py', checkpoints={'load_from': 3})",
     '"checkpoints" must be a dict'),
    ("dict(name='t', role='teacher', config='x.py'),\n"
     "dict(name='d', role='distill', config='x.py', teacher='t',\n"
     "     checkpoints={'model.teacher_ckpt': 's'})",
     "\"checkpoints\" sets 'model.teacher_ckpt', the option that already carries the teacher"),
    ("dict(name='a', role='baseline', config='x.py', checkpoints={'load_from': 'b'}),\n"
     "dict(name='b', role='baseline', config='x.py', checkpoints={'load_from': 'a'})",
     'in a loop (a -> b -> a)'),
    ("dict(name='d', role='distill', config='x.py', seeds=[0, 1], teacher_seed=1,\n"
     "     checkpoints={'load_from': 's'})",
     "wants teacher seed 1, but 's' runs seeds [0]"),
    ("dict(name='d', role='distill', config='x.py', checkpoints={})",
     'needs "teacher" (an entry name) or "checkpoints"'),
])
def test_bad_checkpoints_are_suite_errors(tmp_path, entries, message):
    path = _write_suite(tmp_path, entries.replace("config='x.py')", "config='x.py', "
                                                  "seeds=[0])", 1))
    with pytest.raises(SuiteError) as err:
        load_suite(path)
    assert message in str(err.value) and 'bad.py' in str(err.value)


def test_chains_are_selected_and_ordered(tmp_path):
    path = _write_suite(tmp_path, (
        "dict(name='c', role='baseline', config='x.py', checkpoints={'load_from': 'b'}),\n"
        "dict(name='b', role='baseline', config='x.py', checkpoints={'load_from': 'a'}),\n"
        "dict(name='a', role='baseline', config='x.py', seeds=[3])"))
    suite = load_suite(path)
    chosen = select_entries(suite, ['c'])
    assert [e.name for e in chosen] == ['c', 'b', 'a']  # suite order; 'a' through 'b'
    assert [(e.name, s, loads) for e, s, loads in run_plan(suite, chosen)] == [
        ('a', 3, {}), ('b', 0, {'a': 3}), ('c', 0, {'b': 0})]


def test_mtkd_suite():
    path = str(REPO / 'benchmarks' / 'suites' / 'changedet_mtkd.py')
    (suite, ) = load_suites([path])
    (quick, ) = load_suites([str(REPO / 'benchmarks' / 'suites' / 'changedet_quick.py')])
    check_configs(suite, str(REPO))
    assert suite.name == 'changedet-mtkd' and suite.family == 'changedet'
    assert (suite.dataset, suite.evaluation, suite.threads) == (
        quick.dataset, quick.evaluation, quick.threads)
    assert [(b.name, b.main_metric) for b in suite.leaderboards] == [('changedet-mtkd', 'F1')]
    roles = {e.name: e.role for e in suite.entries}
    assert roles == {'student': 'student', 'mtkd-teacher-small': 'baseline',
                     'mtkd-teacher-medium': 'baseline', 'mtkd-teacher-large': 'baseline',
                     'mtkd': 'distill', 'mtkd-no-distill': 'baseline'}
    assert all(e.seeds == [0, 1, 2] for e in suite.entries)
    assert suite.entry('student').config == quick.entry('student').config
    # the quick protocol's options in every entry; MTKD's tuned weight and the control's 0
    base = quick.entry('student').cfg_options
    for e in suite.entries:
        assert {k: v for k, v in e.cfg_options.items() if k in base} == base, e.name
        assert set(e.cfg_options) - set(base) <= {
            'model.distiller.distill_losses.loss_mtkd.loss_weight'}, e.name
    mtkd = suite.entry('mtkd')
    assert mtkd.teacher is None and mtkd.checkpoint_sources() == {
        'model.teachers.small.ckpt': 'mtkd-teacher-small',
        'model.teachers.medium.ckpt': 'mtkd-teacher-medium',
        'model.teachers.large.ckpt': 'mtkd-teacher-large',
        'model.student.init_cfg.checkpoint': 'student'}
    # the control: step 3 as MTKD, same weights loaded, the distillation weight at 0
    control = suite.entry('mtkd-no-distill')
    assert (control.config, control.checkpoint_sources()) == (mtkd.config,
                                                             mtkd.checkpoint_sources())
    weight = 'model.distiller.distill_losses.loss_mtkd.loss_weight'
    assert control.cfg_options[weight] == 0.0 and mtkd.cfg_options[weight] > 0
    # every option replaces a checkpoint path the config already has
    from mmengine.config import Config
    cfg = Config.fromfile(str(REPO / mtkd.config))
    for option in mtkd.checkpoints:
        node = cfg
        for key in option.split('.'):
            node = node[key]
        assert isinstance(node, str) and node.endswith('.pth'), option
    quick_suites = load_suites([str(REPO / 'benchmarks' / 'suites' / 'quick.py')])
    assert 'changedet-mtkd' not in {s.name for s in quick_suites}
