"""Leaderboard rows as Markdown, CSV and HTML text.

All three are deterministic: fixed float formats, fixed column order, no
timestamps, ``\\n`` line endings.  Markdown/HTML show formatted cells
(``mean ± std``, metrics in percent with ``metric_digits`` decimals; ``n/a``
for a score undefined in every finished seed, ``—`` for no result); the CSV
keeps numbers (mean, std and n in separate columns) for further analysis.
"""
import html
import io
from typing import List, Sequence

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


def _has(rows: List[Row], attr: str) -> bool:
    return any(getattr(r, attr) is not None for r in rows)


def display_columns(rows: List[Row], board: dict):
    """(headers, cell rows) shared by the Markdown and HTML tables.

    GPU FPS and teacher-cost columns appear only when some row has them.
    """
    digits = int(board.get('metric_digits', 2))
    main = board['main_metric']
    metrics = [main] + [m for m in board['metrics'] if m != main]
    headers = ['Entry', 'Role'] + metrics + [f'Δ{main} vs student', 'n', 'Params (M)',
                                             'FLOPs (G)', 'FPS (CPU)']
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
        if row.role == 'student':
            line.append('baseline')
        else:
            line.append(NA if row.delta is None else f'{row.delta:+.{digits}f}')
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
    ``<metric>_n``, ``delta_<main>``, params, flops, speeds, status."""
    main = board['main_metric']
    metrics = [main] + [m for m in board['metrics'] if m != main]
    records = []
    for row in rows:
        item = dict(entry=row.entry, method=row.method, role=row.role, config=row.config,
                    status=row.status, n=row.n, seeds=' '.join(map(str, row.seeds)))
        for m in metrics:
            mean, std, count = row.metrics.get(m, (None, None, 0))
            item.update({f'{m}_mean': mean, f'{m}_std': std, f'{m}_n': count})
        item.update({f'delta_{main}': row.delta, 'params': row.params, 'flops': row.flops,
                     'fps_cpu': row.fps_cpu, 'fps_gpu': row.fps_gpu,
                     'train_per_iter_s': row.train_per_iter_s,
                     'train_total_s': row.train_total_s, 'train_device': row.train_device,
                     'teacher_forward_ms': row.teacher_forward_ms})
        records.append(item)
    frame = pd.DataFrame.from_records(records)
    for column in ('params', 'flops'):  # integers, empty when unknown
        frame[column] = frame[column].astype('Int64')
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, float_format='%.6f', lineterminator='\n')
    return buffer.getvalue()


def html_table(rows: List[Row], board: dict, caption: str = '',
               images: Sequence[str] = ()) -> str:
    """A standalone HTML page with the table (escaped cells) and the given
    image files (relative paths) below it."""
    headers, cells = display_columns(rows, board)
    frame = pd.DataFrame(cells, columns=headers)
    table = frame.to_html(index=False, border=0, escape=True)
    title = html.escape(board.get('title', board['name']))
    note = f'<p>{html.escape(caption)}</p>\n' if caption else ''
    figures = ''.join(f'<p><img src="{html.escape(name)}" alt="{html.escape(name)}"></p>\n'
                      for name in images)
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{note}'
            f'{table}\n{figures}</body>\n</html>\n')
