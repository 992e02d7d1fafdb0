"""Accuracy-vs-cost plots with the Pareto front, and training curves.

Seed spread is always shown: the accuracy points carry ± std error bars
(sample std over the seeds), :func:`plot_seed_curves` draws each entry's
mean curve with a ± std band.

PNG files are byte-stable: the Agg backend, fixed figure size and DPI, and
``metadata={'Software': None}`` so no version string or date is written.
"""
import io
from typing import Dict, List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

from .aggregate import Row  # noqa: E402
from .stats import mean_std  # noqa: E402

__all__ = ['pareto_front', 'plot_accuracy_vs_cost', 'plot_curves', 'plot_seed_curves',
           'png_bytes']

_STYLE = {'teacher': dict(marker='*', color='tab:red', s=140),
          'student': dict(marker='s', color='tab:gray', s=60),
          'distill': dict(marker='o', color='tab:blue', s=50),
          'baseline': dict(marker='D', color='tab:green', s=50)}


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
    fig.savefig(buffer, format='png', dpi=100, metadata={'Software': None})
    plt.close(fig)
    return buffer.getvalue()


def plot_accuracy_vs_cost(rows: List[Row], board: dict, cost: str = 'flops') -> Optional[bytes]:
    """Main metric (mean, std bars) vs GFLOPs (``cost='flops'``, lower is
    better) or vs CPU FPS (``cost='fps'``, higher is better); the Pareto
    front is drawn as a step line.  None when no row has both values."""
    main = board['main_metric']
    higher = board.get('higher_is_better', True)
    pts = []
    for row in rows:
        mean, std, _ = row.metrics.get(main, (None, None, 0))
        x = row.flops / 1e9 if cost == 'flops' and row.flops is not None else (
            row.fps_cpu if cost == 'fps' else None)
        if mean is not None and x is not None:
            pts.append((x, mean, std or 0.0, row))
    if not pts:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for x, y, err, row in pts:
        style = _STYLE.get(row.role, _STYLE['distill'])
        ax.errorbar([x], [y], yerr=[err], fmt='none', ecolor=style['color'], alpha=0.6,
                    capsize=3)
        ax.scatter([x], [y], zorder=3, **style)
        ax.annotate(row.entry, (x, y), textcoords='offset points', xytext=(4, 4), fontsize=8)
    front = pareto_front([(p[0], p[1]) for p in pts], cost_lower_is_better=cost == 'flops',
                         higher_is_better=higher)
    ax.plot([pts[i][0] for i in front], [pts[i][1] for i in front], '--', color='black',
            lw=1, label='Pareto front')
    ax.set_xlabel('GFLOPs (1 image)' if cost == 'flops' else 'FPS (CPU, batch 1)')
    ax.set_ylabel(f'{main} (mean ± std over seeds)')
    ax.set_title(board.get('title', board['name']), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc='lower right', fontsize=8)
    fig.tight_layout()
    return png_bytes(fig)


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

    def draw(ax, key):
        for label in sorted(curves):
            series = curves[label].get(key)
            if series:
                ax.plot([p[0] for p in series], [p[1] for p in series], label=label, lw=1.2,
                        marker='o', markersize=2.5)
        return key

    return _curve_panels(keys, draw, title)


def _curve_panels(keys: Sequence[str], draw, title: str) -> bytes:
    """One panel per key, side by side; ``draw(ax, key)`` draws a panel's lines
    and returns its y label. Axis labels, grid, legend and title are shared."""
    fig, axes = plt.subplots(1, len(keys), figsize=(4.8 * len(keys), 3.8), squeeze=False)
    for ax, key in zip(axes[0], keys):
        ylabel = draw(ax, key)
        ax.set_xlabel('iteration')
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
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
        keys: which series to draw; keys no run has are left out.
    """
    keys = [k for k in keys if any(k in c for runs in curves.values() for c in runs)]
    if not keys:
        return None
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']

    def draw(ax, key):
        for i, entry in enumerate(sorted(curves)):
            runs = [c[key] for c in curves[entry] if c.get(key)]
            if not runs:
                continue
            steps, mean, std = _mean_band(runs)
            color = colors[i % len(colors)]
            ax.plot(steps, mean, color=color, lw=1.2, marker='o', markersize=2.5,
                    label=f'{entry} (n={len(runs)})')
            if len(runs) > 1:
                ax.fill_between(steps, [m - s for m, s in zip(mean, std)],
                                [m + s for m, s in zip(mean, std)], color=color, alpha=0.2,
                                lw=0)
        return f'{key} (mean ± std over seeds)'

    return _curve_panels(keys, draw, title)
