"""Result records: one JSON file per benchmark run (entry x seed).

A record is a plain dict (so it round-trips through JSON unchanged) with the
keys below; :func:`new_record` fills the defaults and :func:`validate_record`
checks a loaded one.  Units are in the key names (``_s`` seconds, ``_ms``
milliseconds); FLOPs are mmengine's count (one multiply-add = one FLOP) for
a batch of one image at ``complexity.input_shape``.

==============================  ===============================================
key                             meaning
==============================  ===============================================
``schema``                      record schema version (``SCHEMA_VERSION``)
``suite`` / ``entry`` / ``seed`` which run this is
``method`` / ``role``           method name; ``teacher``, ``student``
                                (alone), ``distill`` or ``baseline`` (another
                                way to train the student, e.g. EO
                                pre-training then SAR fine-tuning)
``config``                      config path relative to the repository root
``config_hash``                 sha256 of the config as trained (canonical
                                JSON dump, see ``provenance.dump_config``)
``status``                      ``finished`` or ``failed`` (``missing`` and
                                ``invalid`` only appear in leaderboards,
                                never on disk; see :func:`invalid_reason`)
``error``                       last lines of the failing step's output
``metrics``                     ``{name: float}`` from the test split
                                (None where the metric is undefined)
``complexity``                  ``params``, ``flops``, ``input_shape``
                                ``[C, H, W]``, ``model`` (student/teacher)
``speed``                       ``fps_cpu``, ``cpu_threads``, ``fps_gpu``
                                (None without CUDA), ``teacher_forward_ms``
                                (ms per training batch, KD entries only)
``complexity.measured_seed``    the seed whose run measured complexity and
``speed.measured_seed``         speed; they do not depend on the seed, so
                                the other seeds of an entry reuse them
``speed.concurrent_runs``       runs made with ``--jobs`` > 1 only: how many
                                other runs were training or testing while
                                this one was measured (0: undisturbed)
``train``                       ``device``, ``iters``, ``total_s`` (wall
                                clock of all training launches, incl.
                                validation), ``per_iter_s`` (mean logged
                                iteration time)
``curves``                      ``{key: [[iter, value], ...]}`` from the
                                training log, subsampled
``teacher_checkpoint_sha256``   sha256 of the teacher weights (entries
                                with a ``teacher``; see ``checkpoint_sha256``)
``random_streams``              runs of a distillation model only:
                                ``'paired'`` when the student drew the same
                                initial weights, batches, augmentations and
                                dropout masks as the student alone with the
                                same seed (see ``TeacherStudentDistill``);
                                absent on records made before, which the
                                runner does not reuse
``checkpoint_sha256``           ``{cfg-option: sha256}`` of the weights of
                                every checkpoint the run loaded from other
                                entries (its teacher and its
                                ``checkpoints``; ``{}`` for none): the
                                tensors of the ``state_dict``
                                (``provenance.checkpoint_sha256``), so a
                                checkpoint trained again with the same
                                weights has the same sha256; records made
                                before hold the sha256 of the file
``work_dir`` / ``checkpoint``   where the run's logs and last weights are,
                                relative to the runner's work root
                                (``--work-root``, default
                                ``work_dirs/benchmark``); never absolute
``git_commit``                  commit of the code that ran (``+dirty`` if
                                the tree had changes)
``hardware``                    ``cpu_model``, ``cpu_count`` (visible CPUs),
                                ``threads`` (torch threads of training,
                                testing and measuring: the suite's
                                ``threads`` or ``--threads``),
                                ``cuda_device`` (None without CUDA), ``jobs``
                                (runs at the same time; only when > 1); no
                                host names or paths
``dataset_sha256``              sha256 of every file of a generated suite
                                dataset (``GENERATED.json``; None for real
                                data), so a record names the exact scenes
``started_at`` / ``finished_at`` ISO-8601 UTC timestamps
``shared_from``                 only on a run another suite already made
                                (identical config, options, seed, threads,
                                data and loaded weights): that run's record,
                                ``<suite>/<entry>/seed_<k>.json``, whose
                                metrics, timings and weights this one reuses
                                (a copy of it: it stays whole when that
                                entry later leaves its suite and its record
                                the results)
==============================  ===============================================
"""
import json
import math
import os
import os.path as osp
import threading
from typing import Optional

__all__ = ['SCHEMA_VERSION', 'STATUS_FINISHED', 'STATUS_FAILED', 'STATUS_MISSING',
           'STATUS_INVALID', 'ROLES', 'RecordError', 'new_record', 'validate_record',
           'invalid_reason', 'record_path', 'load_record', 'save_record', 'load_records']

SCHEMA_VERSION = 1
STATUS_FINISHED = 'finished'
STATUS_FAILED = 'failed'
STATUS_MISSING = 'missing'
STATUS_INVALID = 'invalid'
ROLES = ('teacher', 'student', 'distill', 'baseline')

_REQUIRED = ('schema', 'suite', 'entry', 'seed', 'method', 'role', 'config', 'status')


class RecordError(ValueError):
    """A result record file is unreadable or lacks required keys."""


def new_record(suite: str, entry: str, seed: int, method: str, role: str,
               config: str) -> dict:
    """A record with every key present and nothing measured yet."""
    if role not in ROLES:
        raise RecordError(f'role must be one of {ROLES}, got {role!r} (entry {entry!r})')
    return dict(
        schema=SCHEMA_VERSION, suite=suite, entry=entry, seed=int(seed), method=method,
        role=role, config=config, config_hash=None, status=STATUS_FAILED, error=None,
        metrics={}, complexity={}, speed={}, train={}, curves={},
        teacher_checkpoint_sha256=None, checkpoint_sha256={}, git_commit=None, hardware={},
        started_at=None, finished_at=None)


def validate_record(record: dict, source: str = '<record>') -> dict:
    """Check required keys and types; return the record.

    Raises:
        RecordError: naming ``source`` and the offending key.
    """
    if not isinstance(record, dict):
        raise RecordError(f'{source}: a result record must be a JSON object, '
                          f'got {type(record).__name__}')
    missing = [k for k in _REQUIRED if k not in record]
    if missing:
        raise RecordError(f'{source}: result record lacks key(s) {missing}')
    if record['schema'] != SCHEMA_VERSION:
        raise RecordError(f'{source}: schema {record["schema"]!r} is not supported '
                          f'(expected {SCHEMA_VERSION})')
    if record['status'] not in (STATUS_FINISHED, STATUS_FAILED):
        raise RecordError(f'{source}: status must be "{STATUS_FINISHED}" or '
                          f'"{STATUS_FAILED}", got {record["status"]!r}')
    if record['role'] not in ROLES:
        raise RecordError(f'{source}: role must be one of {ROLES}, got {record["role"]!r}')
    metrics = record.get('metrics') or {}
    bad = [k for k, v in metrics.items() if v is not None and not isinstance(v, (int, float))]
    if bad:
        raise RecordError(f'{source}: metrics {bad} are not numbers (or null)')
    return record


def invalid_reason(record: dict, main_metric: str) -> Optional[str]:
    """Why a finished record cannot count on a leaderboard ranked by
    ``main_metric`` (None when it can, or when it is not finished).

    A finished record is invalid without ``metrics``, or when its main
    metric is absent, null (NaN and infinity are written as null) or not
    finite.
    """
    if record.get('status') != STATUS_FINISHED:
        return None
    metrics = record.get('metrics')
    if not metrics:
        return 'finished record without metrics'
    value = metrics.get(main_metric)
    if value is None:
        return (f'main metric {main_metric!r} is ' + ('null (NaN or infinite when measured)'
                                                      if main_metric in metrics else 'absent'))
    if not math.isfinite(float(value)):
        return f'main metric {main_metric!r} is {value}'
    return None


def record_path(results_dir: str, suite: str, entry: str, seed: int) -> str:
    """``<results_dir>/<suite>/<entry>/seed_<seed>.json``."""
    return osp.join(results_dir, suite, entry, f'seed_{int(seed)}.json')


def _strict_json(value):
    """``value`` with NaN / infinity replaced by None (strict JSON)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict_json(v) for v in value]
    return value


def save_record(record: dict, path: str) -> str:
    """Write ``record`` atomically: into a temporary file of this process and
    thread, then renamed over ``path``, so that readers and concurrent writers
    (runs finishing at once) only ever see whole records.  NaN and infinite
    values are written as null."""
    record = _strict_json(validate_record(record, path))
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.{os.getpid()}-{threading.get_ident()}.tmp'
    try:
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(record, f, indent=2, sort_keys=True, allow_nan=False)
            f.write('\n')
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    return path


def load_record(path: str) -> dict:
    """Read and validate one record file."""
    try:
        with open(path, encoding='utf-8') as f:
            record = json.load(f)
    except json.JSONDecodeError as err:
        raise RecordError(f'{path}: not valid JSON ({err})') from None
    return validate_record(record, path)


def load_records(results_dir: str, suite: Optional[str] = None) -> list:
    """All records under ``results_dir`` (optionally one suite), sorted by path."""
    root = osp.join(results_dir, suite) if suite else results_dir
    if not osp.isdir(root):
        raise FileNotFoundError(f'results directory "{root}" does not exist')
    paths = []
    for dirpath, _, files in os.walk(root):
        paths += [osp.join(dirpath, f) for f in files
                  if f.startswith('seed_') and f.endswith('.json')]
    return [load_record(p) for p in sorted(paths)]
