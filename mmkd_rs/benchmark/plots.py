"""Accuracy-vs-cost plots with the Pareto front, and training curves.

Seed spread is always shown: the accuracy points carry ± std error bars
(sample std over the seeds), :func:`plot_seed_curves` draws each entry's
mean curve with a ± std band.

Accuracy-vs-cost points are numbered in table order and named in the legend
beside the axes; the numbers are spread apart (:func:`spread_labels`) so none
overlaps another. Entries whose ``input`` differs from the student alone's
(an EO-input teacher of a SAR board) are hollow reference points labelled
"(EO input)" and stay off the Pareto front. Curve figures draw each series
in its own panel (validation metric, total loss, task loss, distillation
loss), losses on a log axis, with one legend beside the panels.

PNG files are byte-stable: the Agg backend, fixed figure size and DPI, and
``metadata={'Software': None}`` so no version string or date is written.
"""
import io
from typing import Dict, List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from .aggregate import Row  # noqa: E402
from .stats import mean_std  # noqa: E402

__all__ = ['pareto_front', 'spread_labels', 'is_reference', 'plot_accuracy_vs_cost',
           'plot_curves', 'plot_seed_curves', 'png_bytes', 'CURVE_TITLES']

_STYLE = {'teacher': dict(marker='*', color='tab:red', s=140),
          'student': dict(marker='s', color='tab:gray', s=60),
          'distill': dict(marker='o', color='tab:blue', s=50),
          'baseline': dict(marker='D', color='tab:green', s=50)}
_DPI = 100
_LABEL_FONT = 8  # pt, point numbers

#: panel titles of the curve keys a record keeps (:func:`.train_logs.curves_from_scalars`)
CURVE_TITLES = {'loss': 'total training loss', 'loss_task': 'task loss',
                'loss_distill': 'distillation loss (sum of distill.* terms)'}


def pareto_front(points: Sequence[Tuple[float, float]], cost_lower_is_better: bool = True,
                 higher_is_better: bool = True) -> List[int]:
    """Indices of the non-dominated points, ordered by cost.

    A point is dominated when another is at least as good on both axes and
    strictly better on one.  ``points`` are ``(cost, score)``.
    """
    def better_eq(a, b, lower):
        return a <= b if lower else a >= b

    def strictly(a, b, lower):
        return a < b if lower else a > b

    front = []
    for i, (ci, si) in enumerate(points):
        dominated = any(
            better_eq(cj, ci, cost_lower_is_better) and better_eq(sj, si, not higher_is_better)
            and (strictly(cj, ci, cost_lower_is_better) or strictly(sj, si,
                                                                     not higher_is_better))
            for j, (cj, sj) in enumerate(points) if j != i)
        if not dominated:
            front.append(i)
    return sorted(front, key=lambda i: (points[i][0], points[i][1]))


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes without metadata, then closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', dpi=_DPI, metadata={'Software': None})
    plt.close(fig)
    return buffer.getvalue()


def spread_labels(positions: Sequence[float], min_gap: float, low: Optional[float] = None,
                  high: Optional[float] = None) -> List[float]:
    """Move sorted 1-D label positions so that neighbours are at least
    ``min_gap`` apart, each as little as possible (least squares), then into
    ``[low, high]`` where the labels fit there.

    With ``z_i = w_i + i * min_gap`` the spacing says ``w`` is non-decreasing:
    an isotonic regression of ``positions[i] - i * min_gap`` (pool adjacent
    violators). The bounds are then met by a sweep down from ``high`` and one
    up from ``low``, which keep the spacing. ``positions`` must be sorted
    ascending.
    """
    blocks = []  # [sum, count] of pooled values
    for i, value in enumerate(positions):
        blocks.append([value - i * min_gap, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    pooled = [total / count for total, count in blocks for _ in range(count)]
    out = [w + i * min_gap for i, w in enumerate(pooled)]
    if high is not None:
        for i in reversed(range(len(out))):
            out[i] = min(out[i], high if i == len(out) - 1 else out[i + 1] - min_gap)
    if low is not None:
        for i in range(len(out)):
            out[i] = max(out[i], low if i == 0 else out[i - 1] + min_gap)
    return out


def is_reference(row: Row, student_input: Optional[str]) -> bool:
    """Whether ``row`` sees another input modality than the student alone
    (``input`` None = the student's own)."""
    return row.input is not None and row.input != student_input


def _place_labels(fig, ax, points: List[Tuple[float, float]], labels: List[str],
                  offsets: List[float]):
    """Annotate each point with its label ``offsets[i]`` pixels right of it,
    spread vertically within groups of labels that would overlap
    horizontally; a thin leader line joins a moved label to its point. Call
    once the layout is final."""
    renderer = fig.canvas.get_renderer()
    font = FontProperties(size=_LABEL_FONT)
    scale = 72.0 / _DPI  # pixels -> points
    boxes = []  # (x0, x1, y) in pixels
    for (x, y), label, offset in zip(points, labels, offsets):
        px, py = ax.transData.transform((x, y))
        width = renderer.get_text_width_height_descent(label, font, ismath=False)[0]
        boxes.append((px + offset, px + offset + width, py))
    height = _LABEL_FONT / scale * 1.25
    placed = [b[2] for b in boxes]
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    groups, right = [], None
    for i in order:  # groups of labels whose horizontal extents overlap
        if right is None or boxes[i][0] > right:
            groups.append([])
            right = boxes[i][1]
        groups[-1].append(i)
        right = max(right, boxes[i][1])
    bottom, top = ax.bbox.y0 + height / 2, ax.bbox.y1 - height / 2
    for group in groups:
        group.sort(key=lambda i: (boxes[i][2], i))
        ys = spread_labels([boxes[i][2] for i in group], height, bottom, top)
        for i, y in zip(group, ys):
            placed[i] = y
    for i, ((x, y), label) in enumerate(zip(points, labels)):
        dy = (placed[i] - boxes[i][2]) * scale
        moved = abs(dy) > 0.25 * _LABEL_FONT
        ax.annotate(label, (x, y), xytext=(offsets[i] * scale, dy), textcoords='offset points',
                    fontsize=_LABEL_FONT, va='center', ha='left',
                    arrowprops=dict(arrowstyle='-', lw=0.5, color='0.5', shrinkA=0,
                                    shrinkB=3) if moved else None)


_LEGEND_LINE = 11 / 72  # inches per line of a 7 pt legend
_LEGEND_LINES = 40  # lines per legend column at most: more go into columns


def _legend_height(entries: int, height: float) -> float:
    """Figure height (inches): ``height``, or taller so that one legend
    column of ``entries`` lines (up to :data:`_LEGEND_LINES`) fits beside."""
    return max(height, min(entries, _LEGEND_LINES) * _LEGEND_LINE + 0.6)


def _legend_columns(entries: int) -> int:
    return -(-entries // _LEGEND_LINES)


def _accuracy_figure(rows: List[Row], board: dict, cost: str = 'flops'):
    """The figure of :func:`plot_accuracy_vs_cost` (None when nothing to draw)."""
    main = board['main_metric']
    higher = board.get('higher_is_better', True)
    student = next((r for r in rows if r.role == 'student'), None)
    student_input = student.input if student is not None else None
    pts = []
    for row in rows:
        mean, std, _ = row.metrics.get(main, (None, None, 0))
        x = row.flops / 1e9 if cost == 'flops' and row.flops is not None else (
            row.fps_cpu if cost == 'fps' else None)
        if mean is not None and x is not None:
            pts.append((x, mean, std or 0.0, row))
    if not pts:
        return None
    scale = 72.0 / _DPI  # pixels -> points
    fig, ax = plt.subplots(figsize=(9.0, _legend_height(len(pts) + 1, 4.8)), dpi=_DPI,
                           layout='constrained')
    handles = []
    for k, (x, y, err, row) in enumerate(pts, 1):
        style = dict(_STYLE.get(row.role, _STYLE['distill']))
        color = style.pop('color')
        reference = is_reference(row, student_input)
        ax.errorbar([x], [y], yerr=[err], fmt='none', ecolor=color, alpha=0.6, capsize=3)
        face = 'none' if reference else color
        ax.scatter([x], [y], zorder=3, facecolors=face, edgecolors=color, linewidths=1.2,
                   **style)
        name = row.entry + (f' ({row.input.upper()} input)' if reference else '')
        handles.append(Line2D([], [], ls='none', marker=style['marker'], color=color,
                              markerfacecolor=face, label=f'{k}  {name}'))
    kept = [p for p in pts if not is_reference(p[3], student_input)]
    front = pareto_front([(p[0], p[1]) for p in kept], cost_lower_is_better=cost == 'flops',
                         higher_is_better=higher)
    if front:
        line, = ax.plot([kept[i][0] for i in front], [kept[i][1] for i in front], '--',
                        color='black', lw=1, label='Pareto front')
        handles.append(line)
    ax.set_xlabel('GFLOPs (1 image)' if cost == 'flops' else 'FPS (CPU, batch 1)')
    ax.set_ylabel(f'{main} (mean ± std over seeds)')
    ax.grid(alpha=0.3)
    fig.suptitle(board.get('title', board['name']), fontsize=10)
    fig.legend(handles=handles, loc='outside right upper', fontsize=7,
               ncols=_legend_columns(len(handles)))
    fig.draw_without_rendering()
    fig.set_layout_engine('none')  # freeze the axes: labels are placed in pixels
    # labels start 3 px right of the marker's edge (marker size s is in points^2)
    offsets = [_STYLE.get(p[3].role, _STYLE['distill'])['s'] ** 0.5 / 2 / scale + 3
               for p in pts]
    _place_labels(fig, ax, [(p[0], p[1]) for p in pts],
                  [str(k) for k in range(1, len(pts) + 1)], offsets)
    return fig


def plot_accuracy_vs_cost(rows: List[Row], board: dict, cost: str = 'flops') -> Optional[bytes]:
    """Main metric (mean, std bars) vs GFLOPs (``cost='flops'``, lower is
    better) or vs CPU FPS (``cost='fps'``, higher is better); the Pareto
    front of the entries with the student's input is drawn as a step line.
    Points are numbered in ``rows`` order and named in the legend. None when
    no row has both values."""
    fig = _accuracy_figure(rows, board, cost)
    return None if fig is None else png_bytes(fig)


def _colors(count: int) -> List[tuple]:
    """Distinct colours for ``count`` lines: tab10 up to 10, then tab20."""
    cmap = plt.get_cmap('tab10' if count <= 10 else 'tab20')
    return [cmap(i % cmap.N) for i in range(count)]


def _linestyle(i: int) -> str:
    return ('-', '--', ':', '-.')[i // 20 % 4]


def plot_curves(curves: Dict[str, Dict[str, List[list]]], keys: Sequence[str],
                title: str = '') -> Optional[bytes]:
    """One panel per key; one line per run.

    Args:
        curves: ``{run label: {key: [[step, value], ...]}}``.
        keys: which series to draw (e.g. ``['loss', 'F1']``); keys no run has
            are left out.
    """
    keys = [k for k in keys if any(k in c for c in curves.values())]
    if not keys:
        return None
    labels = sorted(curves)
    colors = _colors(len(labels))

    def draw(ax, key):
        for i, label in enumerate(labels):
            series = curves[label].get(key)
            if series:
                ax.plot([p[0] for p in series], [p[1] for p in series], label=label, lw=1.2,
                        marker='o', markersize=2.5, color=colors[i], ls=_linestyle(i))
        return key

    return _curve_panels(keys, draw, title, len(labels))


def _curve_panels(keys: Sequence[str], draw, title: str, entries: int) -> bytes:
    """One panel per key (two columns from two keys on); ``draw(ax, key)``
    draws a panel's lines and returns its y label; ``entries`` lines at
    most go into the legend. Loss panels whose values
    are all positive get a log y axis. One legend beside the panels."""
    cols = 1 if len(keys) == 1 else 2
    nrows = (len(keys) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, dpi=_DPI, squeeze=False, layout='constrained',
                             figsize=(4.4 * cols + 3.0,
                                      _legend_height(entries, 3.2 * nrows + 0.4)))
    handles = {}
    for ax, key in zip(axes.flat, keys):
        ax.set_ylabel(draw(ax, key), fontsize=8)
        ax.set_title(CURVE_TITLES.get(key, f'validation {key}'), fontsize=9)
        ax.set_xlabel('iteration', fontsize=8)
        ax.grid(alpha=0.3)
        values = [y for line in ax.get_lines() for y in line.get_ydata()]
        if key in CURVE_TITLES and values and min(values) > 0:
            ax.set_yscale('log')
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    for ax in list(axes.flat)[len(keys):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.legend(list(handles.values()), list(handles), loc='outside right upper', fontsize=7,
               ncols=_legend_columns(len(handles)))
    return png_bytes(fig)


def _mean_band(runs: List[List[list]]):
    """``(steps, mean, std)`` over ``runs`` (``[[step, value], ...]`` each) at
    the steps every run logged; std is 0 for a single run."""
    logged = [{step: value for step, value in run} for run in runs]
    steps = sorted(set.intersection(*(set(r) for r in logged)))
    stats = [mean_std([r[step] for r in logged]) for step in steps]
    return steps, [m for m, _ in stats], [s or 0.0 for _, s in stats]


def plot_seed_curves(curves: Dict[str, List[Dict[str, List[list]]]], keys: Sequence[str],
                     title: str = '') -> Optional[bytes]:
    """One panel per key; per entry its mean curve over seeds and a ± std band.

    Args:
        curves: ``{entry: [{key: [[step, value], ...]} of each seed]}``.
        keys: which series to draw; keys no run has are left out (records
            written before ``loss_task`` / ``loss_distill`` existed draw
            ``loss`` and the metric only).
    """
    keys = [k for k in keys if any(k in c for runs in curves.values() for c in runs)]
    if not keys:
        return None
    entries = sorted(curves)
    colors = _colors(len(entries))

    def draw(ax, key):
        for i, entry in enumerate(entries):
            runs = [c[key] for c in curves[entry] if c.get(key)]
            if not runs:
                continue
            steps, mean, std = _mean_band(runs)
            ax.plot(steps, mean, color=colors[i], ls=_linestyle(i), lw=1.2, marker='o',
                    markersize=2.5, label=f'{entry} (n={len(runs)})')
            if len(runs) > 1:
                ax.fill_between(steps, [m - s for m, s in zip(mean, std)],
                                [m + s for m, s in zip(mean, std)], color=colors[i],
                                alpha=0.2, lw=0)
        return f'{key} (mean ± std over seeds)'

    return _curve_panels(keys, draw, title, len(entries))
