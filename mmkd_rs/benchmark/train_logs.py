"""Read what mmengine's logger writes during training and testing.

* training: ``<work_dir>/<timestamp>/vis_data/scalars.json``, one JSON object
  per line; training lines carry ``lr`` and ``loss`` (plus ``time`` seconds
  per iteration averaged over the logging window, ``step`` = iteration, and
  each loss term: ``decode.loss_ce``, ``distill.loss_kd``, ...), validation
  lines carry the metrics and ``step``.  A resumed run has one
  timestamp folder per launch; they are merged, later launches winning.
* testing: ``<work_dir>/<timestamp>/<timestamp>.json``, one JSON object with
  the test metrics.
"""
import glob
import json
import math
import os.path as osp
from typing import Dict, List, Optional

__all__ = ['LogError', 'find_scalar_files', 'read_scalars', 'split_train_val',
           'train_summary', 'loss_parts', 'curves_from_scalars', 'read_test_metrics',
           'NON_METRIC_KEYS']

NON_METRIC_KEYS = frozenset({'data_time', 'time', 'step', 'iter', 'epoch', 'memory', 'lr',
                             'base_lr', 'eta'})
# training series a record keeps: mmengine's total and its task / distillation parts
_LOSS_KEYS = ('loss', 'loss_task', 'loss_distill')


class LogError(ValueError):
    """A log file is missing or unreadable; the message names it."""


def find_scalar_files(work_dir: str) -> List[str]:
    """``scalars.json`` files of every launch in ``work_dir``, oldest first."""
    return sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))


def read_scalars(paths) -> List[dict]:
    """Lines of one or more ``scalars.json`` files, merged by (kind, step).

    A later file's line replaces an earlier one with the same step and kind
    (training vs validation), so a resumed run counts each iteration once.
    Lines come back sorted by step, training before validation.
    """
    if isinstance(paths, str):
        paths = [paths]
    merged = {}
    for path in paths:
        if not osp.isfile(path):
            raise LogError(f'scalars file "{path}" does not exist')
        with open(path, encoding='utf-8') as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as err:
                    raise LogError(f'{path}:{lineno}: not a JSON line ({err})') from None
                step = item.get('step', item.get('iter'))
                if step is None:
                    raise LogError(f'{path}:{lineno}: line has no "step" or "iter"')
                merged[('lr' not in item, int(step))] = item
    return [merged[k] for k in sorted(merged, key=lambda k: (k[1], k[0]))]


def split_train_val(lines: List[dict]):
    """(training lines, validation lines); training lines are those with ``lr``."""
    train = [x for x in lines if 'lr' in x]
    val = [x for x in lines if 'lr' not in x]
    return train, val


def _step(item: dict) -> int:
    return int(item.get('step', item.get('iter', 0)))


def train_summary(lines: List[dict]) -> dict:
    """``iters`` (last logged iteration) and ``per_iter_s`` (mean of the
    logged ``time``, seconds per iteration; None if not logged)."""
    train, _ = split_train_val(lines)
    times = [float(x['time']) for x in train if 'time' in x]
    return dict(iters=max((_step(x) for x in train), default=0),
                per_iter_s=sum(times) / len(times) if times else None)


def _subsample(points: List[list], max_points: int) -> List[list]:
    if len(points) <= max_points:
        return points
    stride = (len(points) - 1) / (max_points - 1)
    return [points[round(i * stride)] for i in range(max_points)]


def loss_parts(item: dict) -> Dict[str, float]:
    """``loss_task`` and ``loss_distill`` of one training log line.

    mmengine's total ``loss`` is the sum of every logged term whose key
    contains ``loss``; the distillation terms are the ``distill.*`` ones
    (``distill.loss_kd``, ...), the task terms the others (``decode.loss_ce``,
    ``aux.loss_ce``, ``fuse.loss_dice``, ...). A part without any term is
    left out (no ``loss_distill`` for a student trained alone).
    """
    task, distill = [], []
    for key, value in item.items():
        if key in _LOSS_KEYS or 'loss' not in key or not isinstance(value, (int, float)):
            continue
        (distill if key.startswith('distill.') else task).append(float(value))
    parts = {}
    if task:
        parts['loss_task'] = sum(task)
    if distill:
        parts['loss_distill'] = sum(distill)
    return parts


def curves_from_scalars(lines: List[dict], keys: Optional[List[str]] = None,
                        max_points: int = 100) -> Dict[str, List[list]]:
    """``{key: [[step, value], ...]}`` for training losses and validation
    metrics; ``keys`` restricts which.

    Training lines give ``loss`` (mmengine's total), ``loss_task`` and
    ``loss_distill`` (:func:`loss_parts`); validation lines give every metric
    at each validation. Undefined (NaN) values are left out; a series longer
    than ``max_points`` is subsampled evenly (first and last point kept).
    """
    series = {}
    for item in lines:
        train = 'lr' in item
        values = dict(item, **loss_parts(item)) if train else item
        for key, value in values.items():
            if key in NON_METRIC_KEYS or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                continue
            if keys is not None and key not in keys:
                continue
            if train and key not in _LOSS_KEYS:
                continue
            series.setdefault(key, []).append([_step(item), float(value)])
    return {k: _subsample(v, max_points) for k, v in sorted(series.items())}


def read_test_metrics(work_dir: str) -> Dict[str, float]:
    """Metrics of the newest test launch in ``work_dir``; an undefined value
    (NaN, e.g. precision without any positive prediction) becomes None.

    Raises:
        LogError: no ``<timestamp>/<timestamp>.json`` exists there.
    """
    candidates = sorted(p for p in glob.glob(osp.join(work_dir, '*', '*.json'))
                        if osp.basename(osp.dirname(p)) + '.json' == osp.basename(p))
    if not candidates:
        raise LogError(f'no test metrics in "{work_dir}" (expected '
                       '<timestamp>/<timestamp>.json written by tools/test.py)')
    with open(candidates[-1], encoding='utf-8') as f:
        data = json.load(f)
    return {k: (float(v) if math.isfinite(v) else None) for k, v in data.items()
            if k not in NON_METRIC_KEYS and isinstance(v, (int, float))
            and not isinstance(v, bool)}
