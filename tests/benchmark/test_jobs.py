"""Several runs at once (``--jobs``) and the thread override (``--threads``):
overlap, dependency order, failures, interrupts, measurements, records."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from _benchmark_paths import FIXTURES
from mmkd_rs.benchmark import records as records_module
from mmkd_rs.benchmark import runner as runner_module
from mmkd_rs.benchmark.records import load_record, new_record, record_path, save_record
from mmkd_rs.benchmark.runner import BenchmarkRunner
from mmkd_rs.benchmark.scheduler import Job, run_jobs
from mmkd_rs.benchmark.suite import load_suite, select_entries

# what the runner logged and called for suite_fake.py with student seed 1 failing,
# captured from the runner before it could run several runs at once
SEQUENTIAL_LOG = [
    '[run ] fake-suite/teacher seed 0',
    '[run ] fake-suite/student seed 0',
    '[run ] fake-suite/student seed 1',
    '[fail] fake-suite/student seed 1: training exited with status 1 (full log: '
    '<work_root>/fake-suite/student/seed_1-e5ec32da/benchmark_train.log):',
    '[run ] fake-suite/kd seed 0',
    '[run ] fake-suite/kd seed 1',
    '[run ] fake-suite/pretrain seed 0',
    '[run ] fake-suite/pretrain seed 1',
    '[todo] fake-suite/later: placeholder (tests/benchmark/fixtures/not_written_yet.py not '
    'written yet), not run']
SEQUENTIAL_CALLS = [
    'train teacher/seed_0-5b9763f2', 'test teacher/seed_0-5b9763f2/test',
    'train student/seed_0-198ee55d', 'test student/seed_0-198ee55d/test',
    'train student/seed_1-e5ec32da',
    'train kd/seed_0-a80156a7', 'test kd/seed_0-a80156a7/test',
    'train kd/seed_1-c66abd9c', 'test kd/seed_1-c66abd9c/test',
    'train pretrain/seed_0-198ee55d', 'test pretrain/seed_0-198ee55d/test',
    'train pretrain/seed_1-e5ec32da', 'test pretrain/seed_1-e5ec32da/test']
# record keys that differ between two invocations whatever the jobs
VOLATILE = ('started_at', 'finished_at', 'git_commit')


@pytest.fixture
def fake(fake_tools):
    return fake_tools, load_suite(str(FIXTURES / 'suite_fake.py'))


def _where(work_dir: str) -> str:
    """``entry/seed_k-hash[/test]`` of a fake call's work dir."""
    return work_dir.split('/fake-suite/')[1]


def _calls(fake_tools):
    return [f'{c["mode"]} {_where(c["argv"][c["argv"].index("--work-dir") + 1])}'
            for c in fake_tools.read_calls()]


def _spans(fake_tools, mode='train'):
    """``{entry/seed_k: (start, end)}`` of the fake ``mode`` calls."""
    spans = {}
    for event in fake_tools.read_events():
        if event['mode'] == mode:
            key = _where(event['work_dir']).split('-')[0]
            spans.setdefault(key, [None, None])[event['event'] == 'end'] = event['time']
    return spans


def _comparable(record: dict) -> dict:
    record = {k: v for k, v in record.items() if k not in VOLATILE}
    record['train'] = {k: v for k, v in record['train'].items() if k != 'total_s'}
    record['hardware'] = {k: v for k, v in record['hardware'].items() if k != 'jobs'}
    return record


def test_one_job_logs_and_calls_as_before(fake, monkeypatch):
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_FAIL_ON', '/student/seed_1')
    lines = []
    runner = fake_tools.make_runner()
    runner.log = lines.append
    assert runner.jobs == 1
    runner.run(suite, suite.entries)
    assert [line.replace(str(fake_tools.work), '<work_root>') for line in lines] == \
        SEQUENTIAL_LOG
    assert _calls(fake_tools) == SEQUENTIAL_CALLS
    kd = fake_tools.record('fake-suite', 'kd', 0)
    assert 'jobs' not in kd['hardware'] and 'concurrent_runs' not in kd['speed']


def test_two_jobs_write_the_same_records(fake, monkeypatch):
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_FAIL_ON', '/student/seed_1')
    sequential = fake_tools.make_runner().run(suite, suite.entries)
    for path in fake_tools.results.glob('fake-suite/*/seed_*.json'):
        path.unlink()
    parallel = fake_tools.make_runner(jobs=2).run(suite, suite.entries)
    assert [_comparable(r) for r in parallel] == [_comparable(r) for r in sequential]
    assert {r['hardware']['jobs'] for r in parallel} == {2}
    assert not list(fake_tools.results.glob('**/*.tmp'))


def test_independent_runs_overlap(fake, monkeypatch):
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_SLEEP', '0.5')
    fake_tools.make_runner().run(suite, [suite.entry('student')], seeds=[0, 1])
    (a0, a1), (b0, b1) = _spans(fake_tools).values()
    assert a1 <= b0  # one job: one training after the other
    fake_tools.events.unlink()
    fake_tools.make_runner(jobs=2).run(suite, [suite.entry('student')], seeds=[2, 3])
    (a0, a1), (b0, b1) = _spans(fake_tools).values()
    assert a0 < b1 and b0 < a1  # two jobs: the trainings overlap


def test_runs_start_once_the_records_they_load_exist(fake, monkeypatch):
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_SLEEP', '0.4')
    monkeypatch.setenv('FAKE_SLEEP_ON', '/teacher/')
    records = fake_tools.make_runner(jobs=3).run(suite, suite.entries)
    assert [(r['entry'], r['seed']) for r in records] == [  # plan order
        ('teacher', 0), ('student', 0), ('student', 1), ('kd', 0), ('kd', 1),
        ('pretrain', 0), ('pretrain', 1)]
    assert all(r['status'] == 'finished' for r in records)
    starts = [e for e in fake_tools.read_events() if e['event'] == 'start']
    for event in starts:
        if '/kd/' in event['work_dir'] or '/pretrain/' in event['work_dir']:
            assert 'fake-suite/teacher/seed_0.json' in event['records'], event
    spans = _spans(fake_tools)
    teacher_end = spans['teacher/seed_0'][1]
    assert spans['student/seed_0'][0] < teacher_end  # the student does not wait
    assert min(spans[f'{name}/seed_{k}'][0] for name in ('kd', 'pretrain')
               for k in (0, 1)) > teacher_end


def test_runs_wait_for_every_checkpoint_source(fake_tools, monkeypatch):
    suite = load_suite(str(FIXTURES / 'suite_multi.py'))
    monkeypatch.setenv('FAKE_SLEEP', '0.2')
    records = fake_tools.make_runner(jobs=3).run(suite, select_entries(suite, ['multi']),
                                                 seeds=[0])
    assert all(r['status'] == 'finished' for r in records)
    loaded = {f'multi-suite/{name}/seed_{k}.json' for name, k in
              (('teacher', 0), ('part-a', 1), ('part-b', 0), ('student', 0))}
    (multi, ) = [e for e in fake_tools.read_events()
                 if e['event'] == 'start' and '/multi/seed_0' in e['work_dir']
                 and e['mode'] == 'train']
    assert loaded <= set(multi['records'])


def test_a_failing_teacher_fails_its_students(fake, monkeypatch):
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_FAIL_ON', '/teacher/')
    records = fake_tools.make_runner(jobs=2).run(suite, suite.entries)
    status = {(r['entry'], r['seed']): r['status'] for r in records}
    assert status == {('teacher', 0): 'failed', ('student', 0): 'finished',
                      ('student', 1): 'finished', ('kd', 0): 'failed', ('kd', 1): 'failed',
                      ('pretrain', 0): 'failed', ('pretrain', 1): 'failed'}
    for name in ('kd', 'pretrain'):
        for seed in (0, 1):
            error = fake_tools.record('fake-suite', name, seed)['error']
            assert error == ("teacher 'teacher' seed 0 did not finish (status 'failed' in "
                             "<results>/fake-suite/teacher/seed_0.json)")
    assert not [c for c in _calls(fake_tools) if c.startswith(('train kd', 'train pretrain'))]


def test_interrupted_jobs_leave_no_record_and_resume(fake, monkeypatch):
    fake_tools, suite = fake
    entries = [suite.entry('teacher'), suite.entry('student')]
    monkeypatch.setenv('FAKE_SLEEP', '30')
    monkeypatch.setenv('FAKE_SLEEP_ON', '/student/seed_1')
    main = threading.main_thread().ident

    def stuck():
        """The other runs are recorded and student seed 1 is training."""
        done = [fake_tools.results / 'fake-suite' / name / 'seed_0.json'
                for name in ('teacher', 'student')]
        return all(p.exists() for p in done) and any(
            '/student/seed_1' in e['work_dir'] for e in fake_tools.read_events())

    def interrupt_when_stuck():
        deadline = time.time() + 20
        while time.time() < deadline and not stuck():
            time.sleep(0.05)
        signal.pthread_kill(main, signal.SIGINT)  # as Ctrl-C does

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    start = time.time()
    try:
        threading.Thread(target=interrupt_when_stuck, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            fake_tools.make_runner(jobs=2).run(suite, entries)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert time.time() - start < 15  # the sleeping training was killed, not waited for
    assert not os.path.exists(record_path(str(fake_tools.results), 'fake-suite', 'student', 1))
    ends = [e for e in fake_tools.read_events() if e['event'] == 'end']
    assert not [e for e in ends if '/student/seed_1' in e['work_dir']]
    n_calls = len(fake_tools.read_calls())
    monkeypatch.delenv('FAKE_SLEEP')
    records = fake_tools.make_runner(jobs=2).run(suite, entries)
    assert [(r['entry'], r['seed'], r['status']) for r in records] == [
        ('teacher', 0, 'finished'), ('student', 0, 'finished'), ('student', 1, 'finished')]
    again = _calls(fake_tools)[n_calls:]  # only the interrupted run, in its own work dir
    assert again == ['train student/seed_1-e5ec32da', 'test student/seed_1-e5ec32da/test']
    assert '--resume' in fake_tools.read_calls()[n_calls]['argv']


def test_a_run_two_jobs_would_repeat_trains_once(fake, monkeypatch):
    """Two suites of one invocation holding the same run: the job that reaches it
    while the other trains it waits and shares its record instead of training it
    a second time; a failed run is not shared, the waiting job trains it."""
    import dataclasses
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_SLEEP', '0.5')
    other = dataclasses.replace(suite, name='other-suite')
    lines = []
    records = fake_tools.make_runner(jobs=2, log=lines.append).run_suites(
        [(suite, [suite.entry('student')]), (other, [other.entry('student')])], seeds=[0])
    assert [c['mode'] for c in fake_tools.read_calls()] == ['train', 'test']
    assert any(line.startswith('[wait] other-suite/student seed 0: the same run is '
                               'training as fake-suite/student seed 0') for line in lines)
    mine = fake_tools.record('other-suite', 'student', 0)
    assert mine['shared_from'] == 'fake-suite/student/seed_0.json'
    assert mine['metrics'] == fake_tools.record('fake-suite', 'student', 0)['metrics']
    assert [r['status'] for r in records] == ['finished', 'finished']
    # seed 1 fails: the waiting job finds no finished run and trains it itself
    monkeypatch.setenv('FAKE_FAIL_ON', '/student/seed_1')
    records = fake_tools.make_runner(jobs=2).run_suites(
        [(suite, [suite.entry('student')]), (other, [other.entry('student')])], seeds=[1])
    assert [r['status'] for r in records] == ['failed', 'failed']
    assert 'shared_from' not in fake_tools.record('other-suite', 'student', 1)
    assert [c['mode'] for c in fake_tools.read_calls()].count('train') == 3


def test_measurements_say_how_many_runs_shared_the_cpus(fake, monkeypatch):
    fake_tools, suite = fake
    monkeypatch.setenv('FAKE_SLEEP', '1.2')
    monkeypatch.setenv('FAKE_SLEEP_ON', '/student/seed_1')
    windows = []

    def fake_measure(self, entry, options, shape=None):
        start = time.time()
        time.sleep(0.3)
        windows.append((entry.name, options['randomness.seed'], start, time.time()))
        return dict(complexity=dict(params=7, flops=10, input_shape=[3, 8, 8]),
                    speed=dict(fps_cpu=5.0, cpu_threads=2))

    launches = []
    popen = subprocess.Popen

    def timed_popen(cmd, *args, **kwargs):
        launches.append(time.time())
        return popen(cmd, *args, **kwargs)

    monkeypatch.setattr(BenchmarkRunner, '_measure', fake_measure)
    monkeypatch.setattr(runner_module.subprocess, 'Popen', timed_popen)
    runner = fake_tools.make_runner(jobs=2, measure=True)
    lines = []
    runner.log = lines.append
    returned = runner.run(suite, [suite.entry('student')], seeds=[0, 1, 2])
    # measured once per entry while seed 1 was training, then again after every run
    assert [w[:2] for w in windows] == [('student', 0), ('student', 0)]
    assert lines[-1] == ('[measure] fake-suite/student: measured again with no other run '
                         'going (3 record(s) updated)')
    for seed in (0, 1, 2):
        record = fake_tools.record('fake-suite', 'student', seed)
        assert record['speed']['concurrent_runs'] == 0
        assert record['speed']['measured_seed'] == 0 and record['hardware']['jobs'] == 2
        assert returned[seed]['speed'] == record['speed']
    _, _, start, end = windows[0]
    assert len(launches) >= 6 and not [t for t in launches if start <= t <= end]
    assert windows[1][2] > max(launches)  # the second one: nothing else going

    # a record left with a disturbed measurement (an interrupted invocation) is
    # measured again by the next one, which skips its run
    path = record_path(str(fake_tools.results), 'fake-suite', 'student', 2)
    disturbed = load_record(path)
    disturbed['speed'].update(concurrent_runs=1, fps_cpu=1.0)
    save_record(disturbed, path)
    n_calls = len(fake_tools.read_calls())
    fake_tools.make_runner(jobs=2, measure=True).run(suite, [suite.entry('student')],
                                                     seeds=[2])
    assert len(fake_tools.read_calls()) == n_calls  # no training, no testing
    assert len(windows) == 3
    assert load_record(path)['speed']['concurrent_runs'] == 0
    assert load_record(path)['speed']['fps_cpu'] == 5.0


def test_threads_option_reaches_commands_and_records(fake_tools, capsys):
    from test_suites_and_emit import _run_benchmark_tool
    fake = f'{sys.executable} {FIXTURES / "fake_tools.py"}'
    tool = _run_benchmark_tool()
    common = [str(FIXTURES / 'suite_fake.py'), '--only', 'student', '--seeds', '0',
              '--train-cmd', fake + ' train', '--test-cmd', fake + ' test', '--no-measure']
    root = fake_tools.results.parent
    # the suite's defaults: 1 thread, 2 runs at a time
    assert tool.main(common + ['--results-dir', str(root / 'r1'), '--work-root',
                               str(root / 'w1')]) == 0
    assert tool.main(common + ['--results-dir', str(root / 'r2'), '--work-root',
                               str(root / 'w2'), '--jobs', '1', '--threads', '2']) == 0
    assert [c['threads'] for c in fake_tools.read_calls()] == [['1', '1']] * 2 + \
        [['2', '2']] * 2
    two = load_record(record_path(str(root / 'r2'), 'fake-suite', 'student', 0))
    one = load_record(record_path(str(root / 'r1'), 'fake-suite', 'student', 0))
    assert (two['hardware']['threads'], one['hardware']['threads']) == (2, 1)
    assert one['hardware']['jobs'] == 2 and 'jobs' not in two['hardware']
    assert one['config_hash'] == two['config_hash']  # threads are not part of the config
    assert one['work_dir'] == two['work_dir']
    with open(root / 'r1' / 'fake-suite' / 'suite.json') as f:
        assert json.load(f)['threads'] == 1
    # another thread count gives other numbers: the 1-thread record is not reused
    # for a 2-thread run, and its work dir starts over instead of resuming
    work_dir = root / 'w1' / one['work_dir']
    (work_dir / 'marker').write_text('')
    assert tool.main(common + ['--results-dir', str(root / 'r1'), '--work-root',
                               str(root / 'w1'), '--threads', '2']) == 0
    assert [c['threads'] for c in fake_tools.read_calls()][4:] == [['2', '2']] * 2
    assert load_record(record_path(str(root / 'r1'), 'fake-suite', 'student', 0))[
        'hardware']['threads'] == 2
    assert not (work_dir / 'marker').exists()
    out = capsys.readouterr().out
    assert '[done] fake-suite/student seed 0: finished in ' in out
    with pytest.raises(SystemExit):
        tool.parse_args([str(FIXTURES / 'suite_fake.py'), '--jobs', '0'])
    assert '--jobs: must be a positive integer, got 0' in capsys.readouterr().err


def test_scheduler_order_dependencies_and_errors():
    started, lock, gate = [], threading.Lock(), threading.Event()

    def job(name, fail=False):
        def func():
            with lock:
                started.append(name)
            if name == 't':  # ends only once 'e' has run
                assert gate.wait(5)
            if name == 'e':
                gate.set()
            if fail:
                raise RuntimeError(f'{name} failed')
            return name
        return func

    jobs = [Job('t', frozenset(), job('t')), Job('d', frozenset({'t'}), job('d')),
            Job('s', frozenset({'elsewhere'}), job('s')), Job('e', frozenset(), job('e'))]
    # two at once: 'd' waits for 't' (a dependency not in the list holds nothing)
    assert run_jobs(jobs, 2) == ['t', 'd', 's', 'e']
    assert sorted(started[:2]) == ['s', 't'] and started[2:] == ['e', 'd']
    started.clear()
    assert run_jobs(jobs[1:], 1) == ['d', 's', 'e'] and started == ['d', 's', 'e']
    started.clear()
    failing = [Job('a', frozenset(), job('a', fail=True)), Job('b', frozenset({'a'}), job('b'))]
    with pytest.raises(RuntimeError, match='a failed'):
        run_jobs(failing, 2)
    assert started == ['a']  # nothing starts after an error
    with pytest.raises(ValueError, match="job 'b' depends on \\['a'\\], listed at or after"):
        run_jobs(failing[::-1], 2)
    with pytest.raises(ValueError, match='not unique'):
        run_jobs(failing + failing[:1], 2)


def test_concurrent_writers_of_one_record(tmp_path, monkeypatch):
    """A writer paused half-way through a record and another writing the same
    record meanwhile: both succeed, the file is always a whole record."""
    path = str(tmp_path / 'seed_0.json')
    real_dump, paused, resume = json.dump, threading.Event(), threading.Event()

    def slow_dump(obj, f, **kwargs):
        if threading.current_thread().name != 'slow':
            return real_dump(obj, f, **kwargs)
        text = json.dumps(obj, **kwargs)
        f.write(text[:len(text) // 2])
        f.flush()
        paused.set()
        assert resume.wait(5)
        f.write(text[len(text) // 2:])

    monkeypatch.setattr(records_module.json, 'dump', slow_dump)
    slow_record = dict(new_record('s', 'e', 0, 'm', 'student', 'c.py'), error='slow')
    errors = []

    def write_slowly():
        try:
            save_record(slow_record, path)
        except Exception as err:  # reported below
            errors.append(err)

    writer = threading.Thread(target=write_slowly, name='slow')
    writer.start()
    assert paused.wait(5)
    assert not os.path.exists(path)  # nothing half-written where readers look
    save_record(dict(slow_record, error='fast'), path)
    assert load_record(path)['error'] == 'fast'
    resume.set()
    writer.join(5)
    assert errors == []
    assert load_record(path)['error'] == 'slow'
    assert os.listdir(tmp_path) == ['seed_0.json']


def test_jobs_speed_script_on_fake_tools(fake_tools, tmp_path, monkeypatch, capsys):
    import importlib.util

    from _benchmark_paths import REPO
    spec = importlib.util.spec_from_file_location('jobs_speed',
                                                  REPO / 'benchmarks' / 'jobs_speed.py')
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setenv('FAKE_SLEEP', '0.3')
    fake = f'{sys.executable} {FIXTURES / "fake_tools.py"}'
    (tmp_path / 'tmp').mkdir()
    out = tmp_path / 'speed.json'
    assert script.main([str(FIXTURES / 'suite_fake.py'), '--entries', '2', '--out', str(out),
                        '--tmp-dir', str(tmp_path / 'tmp'), '--', '--train-cmd',
                        fake + ' train', '--test-cmd', fake + ' test', '--no-measure']) == 0
    result = json.loads(out.read_text())
    assert result['entries'] == ['teacher', 'student']
    one, two = result['settings']
    assert (one['jobs'], one['threads'], two['jobs'], two['threads']) == (1, 2, 2, 1)
    for row in (one, two):  # teacher seed 0, student seeds 0 and 1
        assert (row['runs'], row['failed'], row['exit_status']) == (3, 0, 0)
    assert (one['recorded_threads'], two['recorded_threads']) == ([2], [1])
    assert [c['threads'][0] for c in fake_tools.read_calls()] == ['2'] * 6 + ['1'] * 6
    # 6 calls of 0.3 s one after another; two at once: teacher || student 0, then student 1
    assert one['wall_s'] > 1.8 and two['wall_s'] < one['wall_s']
    assert list((tmp_path / 'tmp').iterdir()) == []  # temporary folders removed
    assert '--jobs 2 --threads 1' in capsys.readouterr().out
    assert script.main([str(REPO / 'benchmarks' / 'suites' / 'quick.py')]) == 2
    assert 'is a collection of 3 suites' in capsys.readouterr().err
