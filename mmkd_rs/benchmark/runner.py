"""Run suites locally, one run (entry x seed) after another or several at once.

For each run the runner trains (``tools/train.py CONFIG --work-dir WD
--resume --cfg-options ...``), tests the last checkpoint (``tools/test.py``),
measures the student (params, FLOPs, FPS) and, for distillation entries, the
teacher's forward cost, then writes one result record.  The checkpoints an
entry loads (its ``teacher`` and ``checkpoints``) come from the records of
the runs that made them, and the sha256 of their weights go into the record
(:func:`~.provenance.checkpoint_sha256`: two trainings that end in the same
weights write files with other bytes, and a teacher trained again keeps its
students' records; records made before hold the files' sha256, which still
match the files they were made from).  A run whose
record says ``finished`` with the same config hash and the same loaded
weights, made with the suite's thread count, is skipped, so an interrupted
suite resumes where it stopped;
training itself resumes from the work dir's last checkpoint.  Any failure becomes a
``failed`` record holding the tail of the failing step's output.

A run that another suite (or entry) already made -- same config file,
config hash (options and seed included), loaded checkpoints, dataset files,
torch threads and CPU model -- is not trained again: training is deterministic for
those, so the runner copies that record, with ``shared_from`` naming it, and
keeps pointing at its weights.  The baselines suites share their teacher and
student-alone runs with the quick suites this way.  A run that another job of
the same invocation is training waits for it and is then shared the same way
(or trained, if that run failed).

Records are committed, weights are not.  A run whose checkpoint another run of
the invocation loads needs its weights on disk: a finished (or shared) record
without them is trained again -- with the same figures, training being
deterministic -- so a fresh clone can add a distiller to a finished suite.
A run nothing loads is skipped (or shared) on its record alone.

A run of a distillation model (``TeacherStudentDistill``) is reused only if
its record says ``random_streams: 'paired'`` (:data:`RANDOM_STREAMS`): its
student drew what the student alone draws with the same seed.  Runs made
before the distillation model kept its teachers and distiller off the global
random generators are trained again.

The work dir of a run is ``<work_root>/<suite>/<entry>/seed_<k>-<hash8>``:
a changed config never resumes from another config's checkpoint.

Reproducibility and cost:

* every training and testing subprocess gets ``OMP_NUM_THREADS`` /
  ``MKL_NUM_THREADS`` = the suite's ``threads`` (the tools pin torch to it)
  and measurements run with that many torch threads; the record stores it
  as ``hardware.threads``;
* records hold ``work_dir`` / ``checkpoint`` relative to the work root and
  error texts with ``<work_root>``, ``<results>`` and ``<repo>`` in place of
  this machine's folders;
* params, FLOPs and FPS do not depend on the seed: they are measured once
  per entry (by its first seed to get there) and copied into the other
  seeds' records with ``measured_seed`` saying which run measured them.

Several runs at once (``jobs`` > 1): each run (its training and testing
subprocesses, then its measurement) goes in a worker thread of
:func:`~.scheduler.run_jobs` and starts once the runs it loads have ended.
The runner's own work (hashing, reading logs, measuring, writing records)
holds one lock, released only while a run waits for its subprocess, so it is
done one run at a time and no subprocess starts during a measurement; runs
already training keep running, so such a measurement shares the CPUs:
records made with ``jobs`` > 1 carry ``hardware.jobs`` and
``speed.concurrent_runs`` (the other runs training or testing while it was
measured; 0 means undisturbed).  At the end of the invocation, with nothing
else going, each such entry is measured again and its records are rewritten
with the undisturbed figures (``concurrent_runs`` 0): the published FPS is
never one taken beside a training.
"""
import contextlib
import copy
import glob
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from .commands import format_cfg_options
from .provenance import (checkpoint_sha256, config_hash, git_commit, hardware_info,
                         sha256_file, utc_now)
from .records import (STATUS_FAILED, STATUS_FINISHED, RecordError, load_record, new_record,
                      record_path, save_record)
from .scheduler import Job, run_jobs
from .suite import (Entry, Suite, checkpoint_seed_of, override_seeds, run_options,
                    run_plan)
from .train_logs import (LogError, curves_from_scalars, find_scalar_files, read_scalars,
                         read_test_metrics, train_summary)

__all__ = ['RunError', 'BenchmarkRunner', 'run_options', 'work_dir_of', 'THREAD_ENV',
           'torch_threads']

ERROR_TAIL_LINES = 40
TRAIN_SECONDS_FILE = 'benchmark_train_seconds.txt'  # wall seconds of each training launch
LOADED_FILE = 'benchmark_loaded_checkpoints.json'  # {cfg-option: sha256} a work dir used
THREAD_ENV = ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')  # read by tools/train.py and test.py


class RunError(RuntimeError):
    """A step of one run failed; ``str()`` is what goes into the record."""


#: ``random_streams`` of the records of distillation-model runs (see the module docstring)
RANDOM_STREAMS = 'paired'
DISTILL_MODEL = 'TeacherStudentDistill'


def work_dir_of(work_root: str, suite: str, entry: Entry, seed: int, cfg_hash: str) -> str:
    """``<work_root>/<suite>/<entry>/seed_<seed>-<first 8 hex of the config hash>``."""
    return osp.join(work_root, suite, entry.name, f'seed_{seed}-{cfg_hash[:8]}')


@contextlib.contextmanager
def torch_threads(threads: int):
    """Run the block with ``torch.set_num_threads(threads)``, then restore."""
    import torch
    previous = torch.get_num_threads()
    torch.set_num_threads(int(threads))
    try:
        yield
    finally:
        torch.set_num_threads(previous)


# record fields two runs share when one would repeat the other (besides threads and CPU)
_SAME_RUN_KEYS = ('config', 'config_hash', 'seed', 'checkpoint_sha256',
                  'teacher_checkpoint_sha256', 'dataset_sha256', 'random_streams')


@contextlib.contextmanager
def _released(lock):
    """Release ``lock`` (held by this thread) for the block, then take it back."""
    lock.release()
    try:
        yield
    finally:
        lock.acquire()


@contextlib.contextmanager
def _working_dir(path: str):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _tail(text: str, lines: int = ERROR_TAIL_LINES) -> str:
    return '\n'.join(text.rstrip().splitlines()[-lines:])


def training_seconds(work_dir: str) -> Optional[float]:
    """Sum of the wall-clock seconds of every training launch in ``work_dir``
    (None when none was timed, e.g. a work dir filled by a cluster script)."""
    path = osp.join(work_dir, TRAIN_SECONDS_FILE)
    if not osp.isfile(path):
        return None
    with open(path, encoding='utf-8') as f:
        return sum(float(line) for line in f if line.strip())


def read_last_checkpoint(work_dir: str) -> str:
    """Path written by mmengine's CheckpointHook to ``<work_dir>/last_checkpoint``."""
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        raise RunError(f'training ended without "{marker}" (no checkpoint was saved)')
    with open(marker, encoding='utf-8') as f:
        path = f.read().strip()
    if not osp.isfile(path):
        raise RunError(f'"{marker}" points to "{path}", which does not exist')
    return path


class BenchmarkRunner:
    """Trains, tests and measures suite entries; writes result records.

    Args:
        results_dir: where records go (``<results_dir>/<suite>/<entry>/seed_<k>.json``).
        work_root: parent of the runs' work dirs.
        train_cmd / test_cmd: command prefixes; the config, work dir and
            options are appended (defaults: this Python on tools/train.py and
            tools/test.py of ``repo_root``).
        measure: measure params / FLOPs / FPS / teacher cost after testing.
        fps_repeat / fps_warmup: timed / untimed forward passes for FPS.
        env: extra environment variables for the subprocesses.
        log: where progress lines go.
        jobs: runs at the same time (1: one after another, in plan order).
    """

    def __init__(self, results_dir: str, work_root: str = 'work_dirs/benchmark',
                 train_cmd: Optional[Sequence[str]] = None,
                 test_cmd: Optional[Sequence[str]] = None, repo_root: str = '.',
                 measure: bool = True, fps_repeat: int = 20, fps_warmup: int = 5,
                 env: Optional[dict] = None, log: Callable[[str], None] = print,
                 jobs: int = 1):
        self.results_dir = osp.abspath(results_dir)
        self.work_root = osp.abspath(work_root)
        self.repo_root = osp.abspath(repo_root)
        self.train_cmd = list(train_cmd or [sys.executable, osp.join(repo_root, 'tools',
                                                                       'train.py')])
        self.test_cmd = list(test_cmd or [sys.executable, osp.join(repo_root, 'tools',
                                                                     'test.py')])
        self.measure = measure
        self.fps_repeat, self.fps_warmup = fps_repeat, fps_warmup
        self.env = dict(os.environ, **(env or {}))
        self.log = log
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise ValueError(f'jobs must be a positive int, got {jobs!r}')
        self.jobs = jobs
        self._commit = None  # looked up once per runner
        self._distill_configs: Dict[str, bool] = {}  # config -> trains a distillation model
        self._measured = {}  # measurement key -> dict(complexity, speed) of its first run
        # measurement key -> (suite, entry, options, seed) of a measurement taken while
        # other runs trained, and -> [(record path, record)] of the records holding it
        self._disturbed = {}
        self._holders = {}
        # held by a run's thread while it works in this process; released while it
        # waits for its subprocess (so runs only overlap in their subprocesses)
        self._lock = threading.Lock()
        self._procs_lock = threading.Lock()
        self._procs = set()  # running training / testing subprocesses
        # run identity (see _run_identity) -> (run name, done event, thread id) of the
        # runs this invocation is training, so an identical run waits and shares
        self._claims = {}
        self._stop = threading.Event()  # set on an interrupt: start nothing more

    # -- paths -------------------------------------------------------------
    def _relative(self, path: str) -> str:
        """``path`` relative to the work root (what records store)."""
        return osp.relpath(osp.abspath(path), self.work_root)

    def _resolve(self, path: str) -> str:
        """A record's path on this machine (older records hold absolute ones)."""
        return path if osp.isabs(path) else osp.join(self.work_root, path)

    def _portable(self, text: str) -> str:
        """``text`` with this machine's work root, results and repository
        folders written as ``<work_root>``, ``<results>`` and ``<repo>``."""
        roots = ((self.work_root, '<work_root>'), (self.results_dir, '<results>'),
                 (self.repo_root, '<repo>'))
        for root, name in sorted(roots, key=lambda r: -len(r[0])):
            text = text.replace(root, name)
        return text

    def _env(self, suite: Suite) -> dict:
        return dict(self.env, **{name: str(suite.threads) for name in THREAD_ENV})

    # -- bookkeeping -------------------------------------------------------
    def _dataset_sha256(self, suite: Suite) -> Optional[str]:
        """sha256 of a generated suite dataset (None for real data): two records
        with equal seeds, threads and fingerprints were trained on the same files."""
        from .prepare import dataset_fingerprint
        root = (suite.dataset or {}).get('data_root')
        return dataset_fingerprint(osp.join(self.repo_root, root)) if root else None

    def _source_checkpoint(self, suite: Suite, entry: Entry, option: str, seed: int) -> str:
        """Absolute path of the checkpoint that ``option`` of ``entry`` loads:
        the one of run ``seed`` of the entry it names (from that run's record)."""
        source = entry.checkpoint_sources()[option]
        what = (f'teacher {source!r}' if source == entry.teacher and
                option == entry.teacher_ckpt_option else
                f'entry {source!r} (checkpoint for {option})')
        path = record_path(self.results_dir, suite.name, source, seed)
        if not osp.isfile(path):
            raise RunError(f'{what} seed {seed} has no result record ({path}); run it first')
        record = load_record(path)
        if record['status'] != STATUS_FINISHED:
            raise RunError(f'{what} seed {seed} did not finish (status '
                           f'{record["status"]!r} in {path})')
        if not self._has_weights(record):
            raise RunError(f'{what} seed {seed}: checkpoint {record.get("checkpoint")!r} '
                           f'(from {path}, relative to the work root {self.work_root}) does '
                           'not exist')
        return self._resolve(record['checkpoint'])

    def is_finished(self, suite: Suite, entry: Entry, seed: int, cfg_hash: str,
                    checkpoint_shas: Dict[str, str],
                    file_shas: Optional[Dict[str, str]] = None) -> bool:
        """Whether a finished record with this config hash, thread count and
        loaded checkpoints exists.

        Args:
            checkpoint_shas: ``{cfg-option: weights sha256}`` of the checkpoints
                the run would load (:func:`~.provenance.checkpoint_sha256`).
            file_shas: the same files' byte sha256 (:func:`~.provenance.sha256_file`),
                which records made before weights hashing hold instead.
        """
        path = record_path(self.results_dir, suite.name, entry.name, seed)
        if not osp.isfile(path):
            return False
        record = load_record(path)
        stored = record.get('checkpoint_sha256')
        if stored is None:  # records older than checkpoint_sha256: the teacher only
            sha = record.get('teacher_checkpoint_sha256')
            stored = {entry.teacher_ckpt_option: sha} if sha else {}
        loaded = [checkpoint_shas] + ([file_shas] if file_shas is not None else [])
        teacher = [shas.get(entry.teacher_ckpt_option) if entry.teacher else None
                   for shas in loaded]
        return (record['status'] == STATUS_FINISHED and record.get('config_hash') == cfg_hash
                and (record.get('hardware') or {}).get('threads') == suite.threads
                and record.get('teacher_checkpoint_sha256') in teacher
                and stored in loaded
                and (record.get('random_streams') == RANDOM_STREAMS
                     or not self._distills(entry)))

    def _distills(self, entry: Entry) -> bool:
        """Whether ``entry``'s config trains a distillation model (by type name)."""
        if entry.config not in self._distill_configs:
            model = Config.fromfile(osp.join(self.repo_root, entry.config)).get('model') or {}
            self._distill_configs[entry.config] = model.get('type') == DISTILL_MODEL
        return self._distill_configs[entry.config]

    def _has_weights(self, record: dict) -> bool:
        """Whether the checkpoint ``record`` names is on disk (records are
        committed, weights are not: a fresh clone has none)."""
        ckpt = record.get('checkpoint')
        return bool(ckpt) and osp.isfile(self._resolve(ckpt))

    def _same_run(self, suite: Suite, record: dict, path: str,
                  need_weights: bool = True) -> Optional[Tuple[str, dict]]:
        """A finished run of another suite (or entry) that this run would
        repeat: same config file, config hash (options and seed included),
        loaded checkpoints, dataset files, torch threads and CPU model (one
        run made on two CPU models ended 0.03 F1 apart), and, when
        ``need_weights`` (another run loads this one's checkpoint), its weights
        still on disk.  Training is deterministic for those, so its record
        is this run's record.  Returns ``(its record path relative to the
        results folder, a copy of its record)`` or None."""
        pattern = osp.join(self.results_dir, '*', '*', f'seed_{record["seed"]}.json')
        for other in sorted(glob.glob(pattern)):
            if osp.abspath(other) == osp.abspath(path):
                continue
            try:
                found = load_record(other)
            except RecordError:
                continue
            hardware = found.get('hardware') or {}
            if (found['status'] == STATUS_FINISHED
                    and all(found.get(k) == record.get(k) for k in _SAME_RUN_KEYS)
                    and hardware.get('threads') == suite.threads
                    and hardware.get('cpu_model') == record['hardware'].get('cpu_model')
                    and (self._has_weights(found) or not need_weights)):
                source = found.get('shared_from') or osp.relpath(other, self.results_dir)
                return source.replace(os.sep, '/'), copy.deepcopy(found)
        return None

    @staticmethod
    def _run_identity(suite: Suite, record: dict) -> str:
        """What makes two runs the same run in one invocation (the keys
        :meth:`_same_run` compares; the CPU model is this machine's)."""
        return json.dumps([suite.threads] + [record.get(k) for k in _SAME_RUN_KEYS],
                          sort_keys=True)

    def _after_identical_run(self, suite: Suite, entry: Entry, seed: int, record: dict,
                             path: str, need_weights: bool) -> Optional[Tuple[str, dict]]:
        """Wait while another job of this invocation trains the same run, then
        share it (as :meth:`_same_run`); if it failed, or none is training, claim
        the run for this job (released by :meth:`run_one`) and return None."""
        identity = self._run_identity(suite, record)
        while identity in self._claims:
            owner, done, _ = self._claims[identity]
            self.log(f'[wait] {suite.name}/{entry.name} seed {seed}: the same run is '
                     f'training as {owner}')
            with _released(self._lock):
                done.wait()
            if self._stop.is_set():
                raise KeyboardInterrupt('benchmark interrupted')
            same = self._same_run(suite, record, path, need_weights=need_weights)
            if same is not None:
                return same
        self._claims[identity] = (f'{suite.name}/{entry.name} seed {seed}',
                                  threading.Event(), threading.get_ident())
        return None

    def _release_claims(self) -> None:
        """End this thread's claims: the runs waiting on them look again."""
        me = threading.get_ident()
        for identity in [k for k, (_, _, owner) in self._claims.items() if owner == me]:
            self._claims.pop(identity)[1].set()

    def _call(self, cmd: List[str], log_path: str, what: str, env: dict) -> float:
        """Run ``cmd`` with output to ``log_path``; wall seconds; RunError on failure."""
        os.makedirs(osp.dirname(log_path), exist_ok=True)
        start = time.perf_counter()
        with open(log_path, 'w', encoding='utf-8') as log_file:
            log_file.write('$ ' + ' '.join(cmd) + '\n')
            log_file.flush()
            returncode = self._wait(subprocess.Popen(
                cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=self.repo_root))
        seconds = time.perf_counter() - start
        if returncode != 0:
            with open(log_path, encoding='utf-8', errors='replace') as f:
                tail = _tail(f.read())
            raise RunError(f'{what} exited with status {returncode} '
                           f'(full log: {log_path}):\n{tail}')
        return seconds

    def _wait(self, proc: subprocess.Popen) -> int:
        """Exit status of ``proc``; other runs may work while it runs.  Killed
        when this thread is interrupted (as ``subprocess.run`` does) or when
        :meth:`_interrupt` stops every run (then KeyboardInterrupt: no record)."""
        with self._procs_lock:
            self._procs.add(proc)
        try:
            if self._stop.is_set():
                proc.kill()
            with _released(self._lock):
                returncode = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            with self._procs_lock:
                self._procs.discard(proc)
        if self._stop.is_set():
            raise KeyboardInterrupt('benchmark interrupted')
        return returncode

    def _interrupt(self):
        """Stop every run: no new subprocess starts and the running ones are killed."""
        self._stop.set()
        with self._procs_lock:
            procs = list(self._procs)
        for proc in procs:
            proc.kill()

    # -- one run -----------------------------------------------------------
    def run_one(self, suite: Suite, entry: Entry, seed: int, force: bool = False,
                collect: bool = False,
                source_seeds: Optional[Dict[str, int]] = None,
                loaded_later: bool = True) -> Optional[dict]:
        """Train, test, measure one run and write its record (returned).

        Returns the existing record when the run is already finished.  With
        ``collect`` nothing is trained or tested: the record is made from a
        work dir that a cluster script filled (None while it has no test
        metrics yet).  ``source_seeds``: ``{entry name: seed}`` of the runs
        whose checkpoints it loads (default, per entry:
        :func:`~.suite.checkpoint_seed_of` over the suite's seeds).
        ``loaded_later``: another run loads this run's checkpoint, so a
        finished record whose weights are not on disk (a fresh clone) is
        trained again (deterministic: the same figures) rather than skipped.

        Thread-safe: the work done in this process holds the runner's lock,
        which only the wait for a subprocess releases.
        """
        with self._lock:
            if self._stop.is_set():
                raise KeyboardInterrupt('benchmark interrupted')
            try:
                return self._run_one(suite, entry, seed, force, collect, source_seeds,
                                     loaded_later)
            finally:
                self._release_claims()

    def _run_one(self, suite: Suite, entry: Entry, seed: int, force: bool, collect: bool,
                 source_seeds: Optional[Dict[str, int]],
                 loaded_later: bool) -> Optional[dict]:
        start = time.perf_counter()
        path = record_path(self.results_dir, suite.name, entry.name, seed)
        record = new_record(suite.name, entry.name, seed, entry.method, entry.role,
                            entry.config)
        if self._commit is None:
            self._commit = git_commit(self.repo_root) or ''
        record.update(started_at=utc_now(), git_commit=self._commit or None,
                      hardware=hardware_info(suite.threads),
                      dataset_sha256=self._dataset_sha256(suite))
        if self.jobs > 1:  # training time and speed shared the CPUs with other runs
            record['hardware']['jobs'] = self.jobs
        try:
            options = run_options(entry, seed)
            record['config_hash'] = cfg_hash = config_hash(
                osp.join(self.repo_root, entry.config), options)
            shas = record['checkpoint_sha256'] = {}
            file_shas = {}  # what records made before weights hashing hold
            for option, source in entry.checkpoint_sources().items():
                source_seed = (source_seeds or {}).get(source)
                if source_seed is None:
                    source_seed = checkpoint_seed_of(entry, source, seed,
                                                     suite.entry(source).seeds)
                options[option] = self._source_checkpoint(suite, entry, option, source_seed)
                shas[option] = checkpoint_sha256(options[option])
                file_shas[option] = sha256_file(options[option])
            if entry.teacher:
                record['teacher_checkpoint_sha256'] = shas[entry.teacher_ckpt_option]
            if self._distills(entry):
                record['random_streams'] = RANDOM_STREAMS
            finished = (not force and self.is_finished(
                suite, entry, seed, cfg_hash, shas, file_shas) and load_record(path))
            if finished and loaded_later and not collect and not self._has_weights(finished):
                self.log(f'[again] {suite.name}/{entry.name} seed {seed}: finished, but its '
                         f'checkpoint {finished.get("checkpoint")!r} is not under the work '
                         f'root and another run loads it: training it again')
            elif finished:
                self.log(f'[skip] {suite.name}/{entry.name} seed {seed}: finished ({path})')
                self._remember_measurement(suite, entry, options, finished, path)
                return finished
            same = (None if force or collect else
                    self._same_run(suite, record, path, need_weights=loaded_later)
                    or self._after_identical_run(suite, entry, seed, record, path,
                                                 loaded_later))
            if same is not None:
                source, shared = same
                shared.update(suite=suite.name, entry=entry.name, method=entry.method,
                              role=entry.role, shared_from=source)
                self.log(f'[same] {suite.name}/{entry.name} seed {seed}: the run of '
                         f'{source} (same config, seed, threads, data and loaded weights)')
                save_record(shared, path)
                self._remember_measurement(suite, entry, options, shared, path)
                return shared
            work_dir = work_dir_of(self.work_root, suite.name, entry, seed, cfg_hash)
            if collect:
                if not glob.glob(osp.join(work_dir, 'test', '*', '*.json')):
                    self.log(f'[wait] {suite.name}/{entry.name} seed {seed}: no test '
                             f'metrics in {work_dir} yet')
                    return None
                self.log(f'[collect] {suite.name}/{entry.name} seed {seed}')
                self._read_outputs(record, work_dir, total_s=training_seconds(work_dir))
            else:
                if force and osp.isdir(work_dir):
                    # a forced run starts over: resuming would only re-test
                    shutil.rmtree(work_dir)
                self._start_over_if_sources_changed(work_dir, shas, suite, entry, seed,
                                                    file_shas)
                self.log(f'[run ] {suite.name}/{entry.name} seed {seed}')
                self._train_and_test(record, entry, work_dir, options, self._env(suite))
            if self.measure:
                record.update(self._measurement(suite, entry, options, seed))
                self._holders.setdefault(self._measure_key(suite, entry, options),
                                         []).append((path, record))
            record['status'] = STATUS_FINISHED
        except Exception as err:  # every failure is kept as a record
            record['status'] = STATUS_FAILED
            record['error'] = self._portable(_tail(f'{type(err).__name__}: {err}' if not
                                                   isinstance(err, RunError) else str(err)))
            self.log(f'[fail] {suite.name}/{entry.name} seed {seed}: '
                     f'{record["error"].splitlines()[0]}')
        record['finished_at'] = utc_now()
        save_record(record, path)
        if self.jobs > 1 and record['status'] == STATUS_FINISHED:
            self.log(f'[done] {suite.name}/{entry.name} seed {seed}: finished in '
                     f'{time.perf_counter() - start:.1f} s ({path})')
        return record

    def _start_over_if_sources_changed(self, work_dir: str, shas: Dict[str, str],
                                       suite: Suite, entry: Entry, seed: int,
                                       file_shas: Optional[Dict[str, str]] = None):
        """Empty ``work_dir`` when the checkpoints it was trained with (weights
        sha256 per cfg-option, in ``LOADED_FILE``; the files' sha256 in work
        dirs started before weights hashing, ``file_shas``) differ from
        ``shas``: its weights were distilled from another teacher, so resuming
        from them (the work dir name depends on the config alone) would give a
        record that claims the new one.  The same when a distillation run was
        started before its random streams were paired (``random_streams``
        noted beside the sha256s) or with another thread count (``threads``).
        Then note what this launch starts with."""
        extra = dict(threads=suite.threads)
        if self._distills(entry):
            extra['random_streams'] = RANDOM_STREAMS
        shas = dict(shas, **extra)
        accepted = [shas] + ([dict(file_shas, **extra)] if file_shas is not None else [])
        noted = osp.join(work_dir, LOADED_FILE)
        if osp.isfile(noted):
            with open(noted, encoding='utf-8') as f:
                before = json.load(f)
            if before not in accepted:
                self.log(f'[new ] {suite.name}/{entry.name} seed {seed}: the checkpoints '
                         'it loads (or its random streams, or its thread count) changed '
                         'since its work dir was started; starting over')
                shutil.rmtree(work_dir)
        elif osp.isdir(work_dir) and shas:  # started before this note existed: unknown
            shutil.rmtree(work_dir)
        os.makedirs(work_dir, exist_ok=True)
        with open(noted, 'w', encoding='utf-8') as f:
            json.dump(shas, f, indent=1, sort_keys=True)

    def _train_and_test(self, record: dict, entry: Entry, work_dir: str, options: dict,
                        env: dict):
        config = entry.config
        cli_options = format_cfg_options(options)
        train = self.train_cmd + [config, '--work-dir', work_dir, '--resume']
        if cli_options:
            train += ['--cfg-options'] + cli_options
        start = time.perf_counter()
        try:
            self._call(train, osp.join(work_dir, 'benchmark_train.log'), 'training', env)
        finally:  # interrupted or failed launches count too: a resumed run sums them all
            with open(osp.join(work_dir, TRAIN_SECONDS_FILE), 'a', encoding='utf-8') as f:
                f.write(f'{time.perf_counter() - start:.3f}\n')
        total_s = training_seconds(work_dir)
        checkpoint = read_last_checkpoint(work_dir)
        test_dir = osp.join(work_dir, 'test')
        test = self.test_cmd + [config, checkpoint, '--work-dir', test_dir]
        if cli_options:
            test += ['--cfg-options'] + cli_options
        self._call(test, osp.join(work_dir, 'benchmark_test.log'), 'testing', env)
        self._read_outputs(record, work_dir, total_s)

    def _read_outputs(self, record: dict, work_dir: str, total_s: Optional[float]):
        """Checkpoint, test metrics, training time and curves of a work dir."""
        checkpoint = read_last_checkpoint(work_dir)
        test_dir = osp.join(work_dir, 'test')
        record['metrics'] = read_test_metrics(test_dir)
        if not record['metrics']:
            raise RunError(f'testing wrote no numeric metrics in "{test_dir}"')
        record.update(work_dir=self._relative(work_dir), checkpoint=self._relative(checkpoint))
        record['train'] = self._train_info(work_dir, total_s)
        record['curves'] = self._curves(work_dir)

    @staticmethod
    def _train_info(work_dir: str, total_s: float) -> dict:
        import torch
        info = dict(device='cuda' if torch.cuda.is_available() else 'cpu', total_s=total_s,
                    iters=None, per_iter_s=None)
        files = find_scalar_files(work_dir)
        if files:
            info.update(train_summary(read_scalars(files)))
        return info

    @staticmethod
    def _curves(work_dir: str) -> dict:
        files = find_scalar_files(work_dir)
        try:
            return curves_from_scalars(read_scalars(files)) if files else {}
        except LogError:
            return {}

    @staticmethod
    def _measure_key(suite: Suite, entry: Entry, options: dict) -> str:
        """What a measurement depends on: the run's options without its seed
        and the checkpoints it loads (networks are built without loading weights)."""
        dropped = {'randomness.seed', *entry.checkpoint_sources()}
        kept = {k: v for k, v in options.items() if k not in dropped}
        return json.dumps([suite.name, entry.name, entry.config, kept,
                           suite.evaluation.get('input_shape')], sort_keys=True, default=repr)

    def _remember_measurement(self, suite: Suite, entry: Entry, options: dict, record: dict,
                              path: str):
        """Keep a finished record's measurement for the entry's other seeds; one
        taken while other runs trained is measured again at the end
        (:meth:`measure_undisturbed`)."""
        key = self._measure_key(suite, entry, options)
        if (record.get('complexity') or {}).get('params') is None:
            return
        if (record.get('speed') or {}).get('concurrent_runs'):
            self._holders.setdefault(key, []).append((path, record))
            if self.measure and key not in self._disturbed and (
                    key not in self._measured
                    or self._measured[key]['speed'].get('concurrent_runs')):
                self._disturbed[key] = (suite, entry, options,
                                        record['speed'].get('measured_seed', record['seed']))
        if key in self._measured:
            return
        measured = copy.deepcopy(dict(complexity=record['complexity'], speed=record['speed']))
        for section in measured.values():
            section.setdefault('measured_seed', record['seed'])
        self._measured[key] = measured

    def measure_undisturbed(self) -> None:
        """Measure again, with no training or testing going, each entry whose
        measurement was taken while other runs trained (``concurrent_runs`` > 0),
        and rewrite the records that hold it (``concurrent_runs`` 0).  Called at
        the end of :meth:`run_suites`; a measurement takes seconds, a run minutes."""
        for key, (suite, entry, options, seed) in list(self._disturbed.items()):
            measured = self._measure_now(suite, entry, options, seed, others=0)
            self._measured[key] = measured
            holders = [(path, record) for path, record in self._holders.get(key, [])
                       if record.get('status') == STATUS_FINISHED]
            for path, record in holders:
                record.update(copy.deepcopy(measured))
                save_record(record, path)
            self.log(f'[measure] {suite.name}/{entry.name}: measured again with no other run '
                     f'going ({len(holders)} record(s) updated)')
        self._disturbed.clear()

    def _measurement(self, suite: Suite, entry: Entry, options: dict, seed: int) -> dict:
        """``dict(complexity, speed)``: measured by the entry's first run to get
        here, with the suite's thread count; copied for the other seeds."""
        key = self._measure_key(suite, entry, options)
        if key not in self._measured:
            with self._procs_lock:  # none starts before it ends: this thread holds _lock
                others = len(self._procs)  # other runs training or testing
            self._measured[key] = self._measure_now(suite, entry, options, seed, others)
            if others:
                self._disturbed[key] = (suite, entry, options, seed)
        return copy.deepcopy(self._measured[key])

    def _measure_now(self, suite: Suite, entry: Entry, options: dict, seed: int,
                     others: int) -> dict:
        """One measurement with the suite's thread count, ``others`` runs going."""
        with torch_threads(suite.threads):
            measured = self._measure(entry, options, suite.evaluation.get('input_shape'))
        if self.jobs > 1:
            measured['speed']['concurrent_runs'] = others
        # a teacher entry's config is a plain one: what was measured is the teacher
        measured['complexity']['model'] = 'teacher' if entry.role == 'teacher' else 'student'
        for section in measured.values():
            section['measured_seed'] = int(seed)
        return measured

    def _measure(self, entry: Entry, options: dict, shape=None) -> dict:
        from .measure import measure_config

        # configs name other configs (a teacher) relative to the repository root
        with _working_dir(self.repo_root):
            # teacher cost whenever the config holds a teacher (a distillation config)
            return measure_config(entry.config, options, with_teacher=None, shape=shape,
                                  fps_warmup=self.fps_warmup, fps_repeat=self.fps_repeat)

    # -- whole suites ------------------------------------------------------
    def run(self, suite: Suite, entries: List[Entry], seeds: Optional[List[int]] = None,
            force: bool = False, collect: bool = False) -> List[dict]:
        """Run ``entries`` (each after those whose checkpoints it loads) for
        their seeds, or for ``seeds`` (every entry, as ``--seeds``); teachers and
        other sources also run the seeds their dependents load
        (:func:`~.suite.run_plan`)."""
        return self.run_suites([(suite, entries)], seeds, force=force, collect=collect)

    def run_suites(self, chosen: List[Tuple[Suite, List[Entry]]],
                   seeds: Optional[List[int]] = None, force: bool = False,
                   collect: bool = False) -> List[dict]:
        """:meth:`run` over several ``(suite, entries)``; records in plan order.

        With ``jobs`` > 1 up to ``jobs`` runs (of any of the suites) go at
        once, each as soon as the runs it loads have ended (finished or
        failed), in plan order where those allow.  An interrupt kills the
        running subprocesses and writes no record for their runs.
        """
        jobs = []
        for suite, entries in chosen:
            todo = set()
            plan = run_plan(suite, override_seeds(entries, seeds))
            loaded = {(name, k) for _, _, source_seeds in plan
                      for name, k in source_seeds.items()}
            for entry, seed, source_seeds in plan:
                key = (suite.name, entry.name, seed)
                if entry.placeholder and not osp.isfile(osp.join(self.repo_root,
                                                                 entry.config)):
                    jobs.append(Job(key, frozenset(),
                                    partial(self._placeholder, suite, entry, todo)))
                    continue
                deps = frozenset((suite.name, name, k) for name, k in source_seeds.items())
                jobs.append(Job(key, deps, partial(
                    self.run_one, suite, entry, seed, force=force, collect=collect,
                    source_seeds=source_seeds, loaded_later=(entry.name, seed) in loaded)))
        self._stop.clear()
        records = run_jobs(jobs, self.jobs, on_interrupt=self._interrupt)
        self.measure_undisturbed()
        return [record for record in records if record is not None]

    def _placeholder(self, suite: Suite, entry: Entry, todo: set) -> None:
        """Say once per entry that a placeholder is not run."""
        with self._lock:
            if entry.name not in todo:
                todo.add(entry.name)
                self.log(f'[todo] {suite.name}/{entry.name}: placeholder ({entry.config} '
                         'not written yet), not run')
