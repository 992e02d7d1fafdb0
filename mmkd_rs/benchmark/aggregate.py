"""Aggregate result records into leaderboard rows.

One row per suite entry: the mean and the sample standard deviation
(``ddof=1``; undefined for one seed) of each metric over the entry's valid
finished seeds that define it, ``n`` = number of those seeds, and the
main-metric difference to the student alone (``role == 'student'``) with its
95 % interval, verdict and significance rank (see :mod:`.stats`):

* distilled / baseline students: paired by seed over the seeds both
  finished (Student t interval of the seed differences);
* teachers: paired the same way when they share at least 3 seeds with the
  student, otherwise Welch's interval of the two groups' means (a teacher
  run on one seed gets the difference of means and no interval).

Expected runs come from the suite manifest; a run without a record is
``missing``, a run whose record failed is ``failed``, a finished record
without a finite main metric is ``invalid`` (see
:func:`.records.invalid_reason`), and an entry with some valid seeds lists
the others in its status.  Nothing is dropped: records of entries the
manifest does not know are shown too.
"""
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .records import STATUS_FAILED, STATUS_FINISHED, STATUS_INVALID, STATUS_MISSING, \
    invalid_reason
from .stats import (MIN_SEEDS, Difference, mean_std, paired_difference, significance_ranks,
                    welch_difference)

__all__ = ['Row', 'mean_std', 'aggregate_board', 'sort_rows', 'teacher_difference']


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
    delta: Optional[float] = None  # main metric: this entry minus the student (see comparison)
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
    invalid_seeds: List[int] = field(default_factory=list)
    errors: Dict[int, str] = field(default_factory=dict)  # failed or invalid seed -> why
    undefined: List[str] = field(default_factory=list)  # metrics null in every valid seed
    values: Dict[int, float] = field(default_factory=dict)  # main metric of each valid seed
    comparison: Optional[Difference] = None  # vs the student alone (None for the student)
    rank: Optional[int] = None  # significance rank among the students (see stats)
    input: Optional[str] = None  # input modality when not the student's (e.g. 'eo')


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _mean_of(records: List[dict], section: str, key: str):
    values = [r.get(section, {}).get(key) for r in records]
    return mean_std([float(v) for v in values if _finite(v)])[0]


def _first_of(records: List[dict], section: str, key: str):
    for record in records:
        value = record.get(section, {}).get(key)
        if value is not None:
            return value
    return None


def _status(n_ok: int, failed: List[int], invalid: List[int], missing: List[int],
            total: int) -> str:
    if n_ok == total:
        return STATUS_FINISHED
    if n_ok == 0 and not (failed and invalid):
        return STATUS_FAILED if failed else (STATUS_INVALID if invalid else STATUS_MISSING)
    parts = [f'{n_ok}/{total} finished']
    for word, seeds in (('failed', failed), ('invalid', invalid), ('missing', missing)):
        if seeds:
            parts.append(f'{word} seeds ' + ','.join(map(str, seeds)))
    return '; '.join(parts)


def _row(entry: dict, records: Dict[int, dict], metrics: List[str], main: str) -> Row:
    seeds = sorted(set(entry['seeds']) | set(records))
    finished = [s for s in seeds if s in records and records[s]['status'] == STATUS_FINISHED]
    reasons = {s: invalid_reason(records[s], main) for s in finished}
    invalid = [s for s in finished if reasons[s]]
    valid = [records[s] for s in finished if not reasons[s]]
    failed = [s for s in seeds if s in records and records[s]['status'] == STATUS_FAILED]
    missing = [s for s in seeds if s not in records]
    errors = {s: (records[s].get('error') or '') for s in failed}
    errors.update({s: reasons[s] for s in invalid})
    row = Row(entry=entry['name'], method=entry['method'], role=entry['role'],
              config=entry['config'], seeds=seeds, n=len(valid),
              status=_status(len(valid), failed, invalid, missing, len(seeds)),
              failed_seeds=failed, missing_seeds=missing, invalid_seeds=invalid,
              errors=errors, values={int(r['seed']): float(r['metrics'][main]) for r in valid},
              input=entry.get('input'))
    for name in metrics:
        values = [float(r['metrics'][name]) for r in valid if _finite(r['metrics'].get(name))]
        row.metrics[name] = mean_std(values) + (len(values), )
        if valid and not values and all(name in r['metrics'] for r in valid):
            row.undefined.append(name)  # measured, but undefined (NaN) in every seed
    row.params = _first_of(valid, 'complexity', 'params')
    row.flops = _first_of(valid, 'complexity', 'flops')
    row.fps_cpu = _mean_of(valid, 'speed', 'fps_cpu')
    row.fps_gpu = _mean_of(valid, 'speed', 'fps_gpu')
    row.train_per_iter_s = _mean_of(valid, 'train', 'per_iter_s')
    row.train_total_s = _mean_of(valid, 'train', 'total_s')
    row.train_device = _first_of(valid, 'train', 'device')
    row.teacher_forward_ms = _mean_of(valid, 'speed', 'teacher_forward_ms')
    return row


def teacher_difference(teacher: Dict[int, float], student: Dict[int, float],
                       higher_is_better: bool = True) -> Difference:
    """Teacher minus student: paired when they share >= 3 seeds, else Welch."""
    if len(set(teacher) & set(student)) >= MIN_SEEDS:
        return paired_difference(teacher, student, higher_is_better)
    return welch_difference(list(teacher.values()), list(student.values()), higher_is_better)


def _compare(rows: List[Row], student: Optional[Row], higher_is_better: bool):
    """Fill ``comparison``, ``delta`` and ``rank`` of every row."""
    if student is None:
        return
    student.delta = 0.0 if student.values else None
    for row in rows:
        if row is student:
            continue
        compare = teacher_difference if row.role == 'teacher' else paired_difference
        row.comparison = compare(row.values, student.values, higher_is_better)
        row.delta = row.comparison.diff
    ranked = [r for r in rows if r.role != 'teacher' and (
        len(r.values) >= MIN_SEEDS if r is student else r.comparison.n >= MIN_SEEDS)]
    ranks = significance_ranks({r.entry: r.values for r in ranked}, higher_is_better)
    for row in ranked:
        row.rank = ranks[row.entry]


def sort_rows(rows: List[Row], main_metric: str, higher_is_better: bool = True) -> List[Row]:
    """Teachers first (upper bound), then rows with a main-metric value best
    first, then rows without one (failed / invalid / missing), ties by entry name."""
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
            ``config``, ``seeds``, ``leaderboard``, optional ``input``).
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
    main = board['main_metric']
    metrics = list(board['metrics'])
    if main not in metrics:
        metrics.insert(0, main)
    rows = [_row(entries[name], by_entry.get(name, {}), metrics, main)
            for name in sorted(entries)]
    students = [r for r in rows if r.role == 'student']
    if len(students) > 1:
        raise ValueError(f'leaderboard {board["name"]!r} has {len(students)} student-alone '
                         f'entries {[r.entry for r in students]}; deltas need exactly one '
                         '(put other students on their own leaderboard)')
    higher = board.get('higher_is_better', True)
    _compare(rows, students[0] if students else None, higher)
    return sort_rows(rows, main, higher)
