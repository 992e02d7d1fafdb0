"""Aggregate result records into leaderboard rows.

One row per suite entry: the mean and the sample standard deviation
(``ddof=1``; undefined for one seed) of each metric over the entry's
finished seeds that define it, ``n`` = number of finished seeds, and the difference of the
main metric's mean to the student-alone row (``role == 'student'``).
Expected runs come from the suite manifest; a run without a record is
``missing``, a run whose record failed is ``failed``, and an entry with
some finished seeds lists the others in its status.  Nothing is dropped:
records of entries the manifest does not know are shown too.
"""
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .records import STATUS_FAILED, STATUS_FINISHED, STATUS_MISSING

__all__ = ['Row', 'mean_std', 'aggregate_board', 'sort_rows']


@dataclass
class Row:
    """One leaderboard line (numbers unformatted; None = not available)."""
    entry: str
    method: str
    role: str
    config: str
    seeds: List[int]
    status: str
    n: int
    metrics: Dict[str, tuple] = field(default_factory=dict)  # name -> (mean, std, n)
    delta: Optional[float] = None  # main metric mean minus the student's
    params: Optional[int] = None
    flops: Optional[int] = None
    fps_cpu: Optional[float] = None
    fps_gpu: Optional[float] = None
    train_per_iter_s: Optional[float] = None
    train_total_s: Optional[float] = None
    train_device: Optional[str] = None
    teacher_forward_ms: Optional[float] = None
    failed_seeds: List[int] = field(default_factory=list)
    missing_seeds: List[int] = field(default_factory=list)
    errors: Dict[int, str] = field(default_factory=dict)
    undefined: List[str] = field(default_factory=list)  # metrics null in every finished seed


def mean_std(values: List[float]):
    """(mean, sample std with ddof=1); std is None for fewer than 2 values."""
    if not values:
        return None, None
    mean = math.fsum(values) / len(values)
    if len(values) < 2:
        return mean, None
    var = math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def _mean_of(records: List[dict], section: str, key: str):
    values = [r.get(section, {}).get(key) for r in records]
    values = [float(v) for v in values if isinstance(v, (int, float))]
    return mean_std(values)[0]


def _first_of(records: List[dict], section: str, key: str):
    for record in records:
        value = record.get(section, {}).get(key)
        if value is not None:
            return value
    return None


def _status(n_ok: int, failed: List[int], missing: List[int], total: int) -> str:
    if n_ok == total:
        return STATUS_FINISHED
    if n_ok == 0:
        return STATUS_FAILED if failed else STATUS_MISSING
    parts = [f'{n_ok}/{total} finished']
    if failed:
        parts.append('failed seeds ' + ','.join(map(str, failed)))
    if missing:
        parts.append('missing seeds ' + ','.join(map(str, missing)))
    return '; '.join(parts)


def _row(entry: dict, records: Dict[int, dict], metrics: List[str]) -> Row:
    seeds = sorted(set(entry['seeds']) | set(records))
    finished = [records[s] for s in seeds if s in records
                and records[s]['status'] == STATUS_FINISHED]
    failed = [s for s in seeds if s in records and records[s]['status'] == STATUS_FAILED]
    missing = [s for s in seeds if s not in records]
    row = Row(entry=entry['name'], method=entry['method'], role=entry['role'],
              config=entry['config'], seeds=seeds, n=len(finished),
              status=_status(len(finished), failed, missing, len(seeds)),
              failed_seeds=failed, missing_seeds=missing,
              errors={s: (records[s].get('error') or '') for s in failed})
    for name in metrics:
        values = [float(r['metrics'][name]) for r in finished
                  if r.get('metrics', {}).get(name) is not None]
        row.metrics[name] = mean_std(values) + (len(values), )
        if finished and all(r.get('metrics', {}).get(name, 0) is None for r in finished):
            row.undefined.append(name)
    row.params = _first_of(finished, 'complexity', 'params')
    row.flops = _first_of(finished, 'complexity', 'flops')
    row.fps_cpu = _mean_of(finished, 'speed', 'fps_cpu')
    row.fps_gpu = _mean_of(finished, 'speed', 'fps_gpu')
    row.train_per_iter_s = _mean_of(finished, 'train', 'per_iter_s')
    row.train_total_s = _mean_of(finished, 'train', 'total_s')
    row.train_device = _first_of(finished, 'train', 'device')
    row.teacher_forward_ms = _mean_of(finished, 'speed', 'teacher_forward_ms')
    return row


def sort_rows(rows: List[Row], main_metric: str, higher_is_better: bool = True) -> List[Row]:
    """Teachers first (upper bound), then rows with a main-metric value best
    first, then rows without one (failed / missing), ties by entry name."""
    def key(row: Row):
        mean = row.metrics.get(main_metric, (None, ))[0]
        group = 0 if row.role == 'teacher' else (1 if mean is not None else 2)
        score = 0.0 if mean is None else (-mean if higher_is_better else mean)
        return group, score, row.entry
    return sorted(rows, key=key)


def aggregate_board(board: dict, manifest_entries: List[dict], records: List[dict]) -> List[Row]:
    """Rows of leaderboard ``board`` (``name``, ``main_metric``, ``metrics``,
    ``higher_is_better``), sorted by :func:`sort_rows`.

    Args:
        board: leaderboard definition.
        manifest_entries: the suite's entries (``name``, ``role``, ``method``,
            ``config``, ``seeds``, ``leaderboard``).
        records: result records of the suite.
    """
    entries = {e['name']: dict(e) for e in manifest_entries
               if e.get('leaderboard', board['name']) == board['name']}
    by_entry: Dict[str, Dict[int, dict]] = {}
    known = {e['name'] for e in manifest_entries}
    for record in records:
        name = record['entry']
        if name not in known:  # not in the suite (any more): still shown
            entries.setdefault(name, dict(name=name, role=record['role'],
                                          method=record['method'],
                                          config=record['config'], seeds=[]))
        if name in entries:
            by_entry.setdefault(name, {})[int(record['seed'])] = record
    metrics = list(board['metrics'])
    if board['main_metric'] not in metrics:
        metrics.insert(0, board['main_metric'])
    rows = [_row(entries[name], by_entry.get(name, {}), metrics) for name in sorted(entries)]
    students = [r for r in rows if r.role == 'student']
    if len(students) > 1:
        raise ValueError(f'leaderboard {board["name"]!r} has {len(students)} student-alone '
                         f'entries {[r.entry for r in students]}; deltas need exactly one '
                         '(put other students on their own leaderboard)')
    base = students[0].metrics[board['main_metric']][0] if students else None
    for row in rows:
        mean = row.metrics[board['main_metric']][0]
        if base is not None and mean is not None:
            row.delta = mean - base
    return sort_rows(rows, board['main_metric'], board.get('higher_is_better', True))
