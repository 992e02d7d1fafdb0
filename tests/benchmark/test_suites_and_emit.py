"""Suite files (the repository's and broken ones), cluster scripts, README markers."""
import glob
from dataclasses import replace

import pytest

from _benchmark_paths import FIXTURES, REPO
from mmkd_rs.benchmark.emit import emit_script
from mmkd_rs.benchmark.readme_markers import MarkerError, find_blocks, rewrite_blocks
from mmkd_rs.benchmark.runner import run_options
from mmkd_rs.benchmark.suite import SuiteError, load_suite, load_suites, select_entries


def test_repository_suites_parse():
    files = sorted(glob.glob(str(REPO / 'benchmarks' / 'suites' / '*.py')))
    assert files
    suites = load_suites([str(REPO / 'benchmarks' / 'suites' / 'quick.py')])
    assert {s.family for s in suites} == {'changedet', 'roads', 'sar'}
    cd = next(s for s in suites if s.family == 'changedet')
    roles = [e.role for e in cd.entries]
    assert roles[:2] == ['teacher', 'student'] and roles.count('distill') >= 1
    assert {e.method for e in cd.entries} >= {'frd'}
    assert all(e.teacher == cd.entries[0].name for e in cd.entries if e.role == 'distill')
    # make demo (one seed of teacher, student and FRD; the teacher first, then the two
    # students side by side) within 12 minutes (measured: teacher 460-480 s, FRD 185-200 s)
    demo = [e for e in cd.entries if 'demo' in e.tags]
    assert [e.role for e in demo] == ['teacher', 'student', 'distill'] and cd.jobs >= 2
    assert demo[0].budget_s + max(e.budget_s for e in demo[1:]) <= 720
    # The whole quick collection (the papers' methods with their students, teachers and
    # controls; the generic distillers are in baselines_quick.py), every seed, from the
    # entries' budgets (wall seconds of one run, from their records, above the 1 h 38 min
    # measured from scratch): within the 2-hour target on 2 CPU cores, two runs at a time
    assert {e.method for s in suites for e in s.entries if e.role == 'distill'} == {
        'frd', 'tskd', 'hfd', 'disoptnet'}
    assert sum(e.budget_s * len(e.seeds) / s.jobs for s in suites for e in s.entries) <= 2 * 3600
    for path in files:
        load_suites([path])


@pytest.mark.parametrize('entry, message', [
    (dict(name='a', role='distill', config='x.py'), 'needs "teacher"'),
    (dict(name='a', role='distill', config='x.py', teacher='nobody'), 'not an entry'),
    (dict(name='a', role='boss', config='x.py'), 'role must be one of'),
    (dict(name='a', role='student', config='x.py', colour='red'), "unknown key(s) ['colour']"),
    (dict(name='a', role='student', config='x.py', teacher_seed='first'),
     "teacher_seed must be None, an int or 'same'"),
    (dict(name='a', role='teacher', config='x.py', input=3),
     '"input" must be a non-empty string'),
])
def test_bad_suites_are_named_errors(tmp_path, entry, message):
    path = tmp_path / 'bad.py'
    path.write_text(f"suite = 'bad'\nleaderboards = [dict(name='b', main_metric='F1')]\n"
                    f"entries = [{entry!r}]\n")
    with pytest.raises(SuiteError) as err:
        load_suite(str(path))
    assert message in str(err.value) and 'bad.py' in str(err.value)


def test_eo_input_teachers_of_the_sar_suites():
    """The EO-input teachers carry input='eo' into the manifest; the key is no
    cfg-option, so run options (and config hashes) stay as they were."""
    for name in ('sar_quick.py', 'sar_tuning.py', 'sar_baselines.py'):
        suite = load_suite(str(REPO / 'benchmarks' / 'suites' / name))
        teachers = {e.name for e in suite.entries if e.role == 'teacher'}
        assert teachers and {e.name for e in suite.entries if e.input == 'eo'} == teachers
        assert all(e.input is None for e in suite.entries if e.role != 'teacher')
        listed = suite.manifest()['entries']
        assert {e['name'] for e in listed if e['input'] == 'eo'} == teachers
        for entry in suite.entries:
            assert run_options(entry, 0) == run_options(replace(entry, input=None), 0)


@pytest.mark.parametrize('text, message', [
    ("leaderboards = [dict(name='b', main_metric='F1', metrics=['IoU'])]",
     "leaderboards[0]: main_metric 'F1' is not in its metrics ['IoU']"),
    ("leaderboards = [dict(name='b', main_metric='F1')]\nthreads = 0",
     '"threads" must be a positive int'),
    ("leaderboards = [dict(name='b', main_metric='F1')]\njobs = True",
     '"jobs" must be a positive int (runs at the same time), got True'),
])
def test_bad_suite_keys_are_named_errors(tmp_path, text, message):
    path = tmp_path / 'bad.py'
    path.write_text(f"suite = 'bad'\n{text}\n"
                    "entries = [dict(name='a', role='student', config='x.py')]\n")
    with pytest.raises(SuiteError) as err:
        load_suite(str(path))
    assert message in str(err.value) and 'bad.py' in str(err.value)


def test_missing_config_fails_list(tmp_path, capsys):
    tool = _run_benchmark_tool()
    path = tmp_path / 'suite.py'
    path.write_text(
        "suite = 's'\nleaderboards = [dict(name='b', main_metric='F1', metrics=['F1'])]\n"
        "entries = [dict(name='student', role='student', config='configs/none/absent.py'),\n"
        "           dict(name='later', role='distill', teacher='t', placeholder=True,\n"
        "                config='configs/none/later.py'),\n"
        f"           dict(name='t', role='teacher', config={str(FIXTURES / 'tiny_seg.py')!r})]\n")
    assert tool.main([str(path), '--list']) == 2
    err = capsys.readouterr().err
    assert "'student': configs/none/absent.py" in err and 'suite.py' in err
    assert 'later.py' not in err  # a placeholder may wait for its config
    path.write_text(path.read_text().replace("'configs/none/absent.py'",
                                             repr(str(FIXTURES / 'tiny_seg.py'))))
    assert tool.main([str(path), '--list']) == 0


def test_list_shows_seeds_and_teacher_seeds(capsys):
    tool = _run_benchmark_tool()
    fake = str(FIXTURES / 'suite_fake.py')
    assert tool.main([fake, '--list', '--only', 'kd', '--seeds', '0', '1', '2']) == 0
    out = capsys.readouterr().out
    assert 'teacher  seeds [0, 1, 2]' in out
    assert 'kd                       distill  seeds [0, 1, 2], teacher teacher seed 0' in out
    assert '1 torch thread per run, 2 runs at a time)' in out
    assert tool.main([fake, '--list', '--only', 'kd']) == 0  # the suite's own seeds
    out = capsys.readouterr().out
    assert 'teacher  seeds [0]' in out and 'distill  seeds [0, 1], teacher teacher seed 0' in out


@pytest.mark.parametrize('kind, train, test', [
    ('dist', 'bash tools/dist_train.sh', 'bash tools/dist_test.sh'),
    ('slurm', 'bash tools/slurm_train.sh "$PARTITION"', 'bash tools/slurm_test.sh "$PARTITION"'),
])
def test_emitted_script(kind, train, test):
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    script = emit_script(kind, [(suite, select_entries(suite))], 'wd', 'res',
                         ['suite_fake.py'], repo_root=str(REPO))
    lines = script.splitlines()
    assert lines[0] == '#!/usr/bin/env bash' and 'set -euo pipefail' in lines
    trains = [line for line in lines if train in line]
    assert len(trains) == 1 + 2 + 2 + 2  # teacher seed 0; student, kd, pretrain seeds 0, 1
    assert 'wd/fake-suite/teacher/seed_0-' in trains[0]
    assert all('--resume' in t for t in trains)
    kd = [t for t in trains if '/kd/' in t]
    assert 'model.teacher_ckpt="$(cat wd/fake-suite/teacher/seed_0-' in kd[0]
    assert sum(test in line for line in lines) == 7
    pretrain = [t for t in trains if '/pretrain/' in t]
    assert 'load_from="$(cat wd/fake-suite/teacher/seed_0-' in pretrain[0]
    assert 'not_written_yet.py' in script  # placeholder listed as a comment
    assert lines[-1].endswith('--collect --work-root wd --results-dir res')
    with pytest.raises(ValueError, match='--emit'):
        emit_script('pbs', [], 'wd', 'res', [])


def test_emitted_script_with_same_teacher_seeds():
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    suite.entry('kd').teacher_seed = 'same'
    script = emit_script('dist', [(suite, select_entries(suite, ['kd']))], 'wd', 'res',
                         ['suite_fake.py'], repo_root=str(REPO), seeds=[0, 1, 2])
    trains = [line for line in script.splitlines() if 'dist_train.sh' in line]
    assert len(trains) == 6  # teacher and kd, seeds 0, 1, 2
    for k in range(3):
        (kd, ) = [t for t in trains if f'/kd/seed_{k}-' in t]
        assert f'model.teacher_ckpt="$(cat wd/fake-suite/teacher/seed_{k}-' in kd


def test_emitted_script_is_valid_bash(tmp_path):
    import subprocess
    suite = load_suite(str(FIXTURES / 'suite_fake.py'))
    path = tmp_path / 'run.sh'
    path.write_text(emit_script('dist', [(suite, select_entries(suite))], 'wd', 'res',
                                ['suite_fake.py'], repo_root=str(REPO)))
    assert subprocess.run(['bash', '-n', str(path)]).returncode == 0


def test_marker_blocks():
    text = 'a\n<!-- leaderboard:x:start -->\nold\n<!-- leaderboard:x:end -->\nb\n' \
           '  <!-- leaderboard:x@kd:start -->\n<!-- leaderboard:x@kd:end -->\n'
    assert [k for k, _, _ in find_blocks(text)] == ['x', 'x@kd']
    new, skipped = rewrite_blocks(text, lambda name, method: f'T {name} {method}')
    assert new == ('a\n<!-- leaderboard:x:start -->\nT x None\n<!-- leaderboard:x:end -->\n'
                   'b\n  <!-- leaderboard:x@kd:start -->\nT x kd\n<!-- leaderboard:x@kd:end -->\n')
    assert rewrite_blocks(new, lambda n, m: f'T {n} {m}')[0] == new  # idempotent
    assert rewrite_blocks(text, lambda n, m: None) == (text, ['x', 'x@kd'])
    assert rewrite_blocks('no markers', lambda n, m: 'x') == ('no markers', [])


def test_quoted_markers_are_documentation():
    text = ('Tables go between `<!-- leaderboard:NAME:start -->` / '
            '`<!-- leaderboard:NAME:end -->`.\n```\n<!-- leaderboard:NAME:start -->\n```\n')
    assert find_blocks(text) == []
    assert rewrite_blocks(text, lambda n, m: 'table') == (text, [])


@pytest.mark.parametrize('text, message', [
    ('<!-- leaderboard:x:start -->\n', 'no end marker'),
    ('<!-- leaderboard:x:end -->\n', 'without its start'),
    ('<!-- leaderboard:x:start -->\n<!-- leaderboard:y:start -->\n', 'starts inside'),
    ('<!-- leaderboard:x:start -->\n<!-- leaderboard:y:end -->\n', 'without its start'),
])
def test_bad_markers(text, message):
    with pytest.raises(MarkerError, match=message):
        find_blocks(text, 'R.md')


def _run_benchmark_tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location('run_benchmark', REPO / 'tools' /
                                                  'run_benchmark.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_run_benchmark_list(capsys):
    tool = _run_benchmark_tool()
    quick = str(REPO / 'benchmarks' / 'suites' / 'quick.py')
    assert tool.main([quick, '--list', '--family', 'changedet', '--only', 'frd']) == 0
    out = capsys.readouterr().out
    assert 'changedet-quick' in out and ' frd ' in out and 'siam-r50' in out
    assert 'roads-quick' not in out and ' kd ' not in out
    assert tool.main([quick, '--list', '--family', 'ocean']) == 2
    capsys.readouterr()
    assert tool.main([quick, '--list', '--only', 'frd', 'nobody']) == 2
    assert "unknown entr(ies) ['nobody']" in capsys.readouterr().err
    assert tool.main([quick, '--list', '--only', 'student']) == 0  # in every quick suite
    out = capsys.readouterr().out
    assert all(name in out for name in ('changedet-quick', 'roads-quick', 'sar-quick'))
