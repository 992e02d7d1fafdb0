"""Leaderboard rows as Markdown, CSV and HTML text.

All three are deterministic: fixed float formats, fixed column order, no
timestamps, ``\\n`` line endings.  Markdown/HTML show formatted cells
(``mean ± std``, metrics in percent with ``metric_digits`` decimals; ``n/a``
for a score undefined in every finished seed, ``—`` for no result); the CSV
keeps numbers (mean, std and n in separate columns) for further analysis.

Next to the metrics each row shows its main-metric difference to the
student alone with the 95 % interval (``+2.00 ± 2.48 (3 paired)``; Welch's
for a teacher that does not pair by seed), the verdict (better / worse /
no detectable difference / needs >= 3 seeds) and the significance rank
(see :mod:`.stats`).
"""
import html
import io
from typing import List, Sequence, Union

import pandas as pd
from tabulate import tabulate

from .aggregate import Row

__all__ = ['ROLE_LABELS', 'display_columns', 'markdown_table', 'csv_table', 'html_table']

ROLE_LABELS = {'teacher': 'teacher (upper bound)', 'student': 'student alone (baseline)',
               'distill': 'distilled student', 'baseline': 'baseline student'}
NA = '—'
UNDEFINED = 'n/a'


def _num(value, fmt: str) -> str:
    return NA if value is None else format(value, fmt)


def _metric_cell(stat: tuple, digits: int) -> str:
    mean, std, _ = stat
    if mean is None:
        return NA
    if std is None:
        return f'{mean:.{digits}f}'
    return f'{mean:.{digits}f} ± {std:.{digits}f}'


def _comparison_cells(row: Row, digits: int) -> List[str]:
    """``[Δ vs student ± 95 % CI, verdict, rank]`` cells of a row."""
    rank = NA if row.rank is None else str(row.rank)
    if row.role == 'student':
        return ['reference', 'reference', rank]
    diff = row.comparison
    if diff is None or diff.diff is None:
        return [NA, NA, rank]
    cell = f'{diff.diff:+.{digits}f}'
    if diff.half_width is not None:
        cell += f' ± {diff.half_width:.{digits}f}'
    if diff.test == 'paired':
        cell += f' ({diff.n} paired)'
    else:
        cell += ' (Welch)' if diff.half_width is not None else ' (unpaired)'
    return [cell, diff.verdict, rank]


def _has(rows: List[Row], attr: str) -> bool:
    return any(getattr(r, attr) is not None for r in rows)


def display_columns(rows: List[Row], board: dict):
    """(headers, cell rows) shared by the Markdown and HTML tables.

    GPU FPS and teacher-cost columns appear only when some row has them.
    """
    digits = int(board.get('metric_digits', 2))
    main = board['main_metric']
    metrics = [main] + [m for m in board['metrics'] if m != main]
    headers = ['Entry', 'Role'] + metrics + [f'Δ{main} vs student (95 % CI)', 'vs student',
                                             'Rank', 'n', 'Params (M)', 'FLOPs (G)',
                                             'FPS (CPU)']
    gpu, teacher = _has(rows, 'fps_gpu'), _has(rows, 'teacher_forward_ms')
    headers += ['FPS (GPU)'] if gpu else []
    headers += ['Train s/iter']
    headers += ['Teacher ms/iter'] if teacher else []
    headers += ['Status']
    cells = []
    for row in rows:
        line = [row.entry, ROLE_LABELS.get(row.role, row.role)]
        line += [UNDEFINED if m in row.undefined else
                 _metric_cell(row.metrics.get(m, (None, None, 0)), digits) for m in metrics]
        line += _comparison_cells(row, digits)
        line += [str(row.n), _num(None if row.params is None else row.params / 1e6, '.3f'),
                 _num(None if row.flops is None else row.flops / 1e9, '.3f'),
                 _num(row.fps_cpu, '.1f')]
        line += [_num(row.fps_gpu, '.1f')] if gpu else []
        per_iter = _num(row.train_per_iter_s, '.3f')
        if row.train_per_iter_s is not None and row.train_device:
            per_iter += f' ({row.train_device})'
        line.append(per_iter)
        line += [_num(row.teacher_forward_ms, '.1f')] if teacher else []
        line.append(row.status)
        cells.append(line)
    return headers, cells


def markdown_table(rows: List[Row], board: dict) -> str:
    """A GitHub-flavoured Markdown table (no trailing newline)."""
    headers, cells = display_columns(rows, board)
    return tabulate(cells, headers=headers, tablefmt='github', disable_numparse=True)


def csv_table(rows: List[Row], board: dict) -> str:
    """CSV with numeric columns: ``<metric>_mean``, ``<metric>_std``,
    ``<metric>_n``, ``delta_<main>`` with ``delta_<main>_ci95`` (half-width),
    ``_low``, ``_high``, ``delta_n`` (paired seeds, or the smaller group),
    ``delta_test`` (paired / welch), ``verdict``, ``rank``, params, flops,
    speeds, status."""
    main = board['main_metric']
    metrics = [main] + [m for m in board['metrics'] if m != main]
    records = []
    for row in rows:
        item = dict(entry=row.entry, method=row.method, role=row.role, config=row.config,
                    status=row.status, n=row.n, seeds=' '.join(map(str, row.seeds)))
        for m in metrics:
            mean, std, count = row.metrics.get(m, (None, None, 0))
            item.update({f'{m}_mean': mean, f'{m}_std': std, f'{m}_n': count})
        diff = row.comparison
        item.update({f'delta_{main}': row.delta,
                     f'delta_{main}_ci95': diff and diff.half_width,
                     f'delta_{main}_low': diff and diff.low,
                     f'delta_{main}_high': diff and diff.high,
                     'delta_n': diff.n if diff and diff.diff is not None else (
                         len(row.values) if row.role == 'student' and row.values else None),
                     'delta_test': diff.test if diff and diff.diff is not None else '',
                     'verdict': 'reference' if row.role == 'student' else (
                         diff.verdict if diff and diff.diff is not None else ''),
                     'rank': row.rank, 'params': row.params, 'flops': row.flops,
                     'fps_cpu': row.fps_cpu, 'fps_gpu': row.fps_gpu,
                     'train_per_iter_s': row.train_per_iter_s,
                     'train_total_s': row.train_total_s, 'train_device': row.train_device,
                     'teacher_forward_ms': row.teacher_forward_ms})
        records.append(item)
    frame = pd.DataFrame.from_records(records)
    for column in ('params', 'flops', 'delta_n', 'rank'):  # integers, empty when unknown
        frame[column] = frame[column].astype('Int64')
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, float_format='%.6f', lineterminator='\n')
    return buffer.getvalue()


def html_table(rows: List[Row], board: dict, caption: Union[str, Sequence[str]] = '',
               images: Sequence[str] = ()) -> str:
    """A standalone HTML page: ``caption`` (a paragraph or a list of them),
    the table (escaped cells) and the given image files (relative paths)."""
    headers, cells = display_columns(rows, board)
    frame = pd.DataFrame(cells, columns=headers)
    table = frame.to_html(index=False, border=0, escape=True)
    title = html.escape(board.get('title', board['name']))
    paragraphs = [caption] if isinstance(caption, str) else list(caption)
    note = ''.join(f'<p>{html.escape(p)}</p>\n' for p in paragraphs if p)
    figures = ''.join(f'<p><img src="{html.escape(name)}" alt="{html.escape(name)}"></p>\n'
                      for name in images)
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{note}'
            f'{table}\n{figures}</body>\n</html>\n')
