"""The equal tuning budget: pick each distiller's grid point from a tuning suite.

A tuning suite (``benchmarks/suites/<family>_tuning.py``) defines ``grids =
{method: {label: cfg_options}}`` and runs one entry per grid point, named
``<method>@<label>``, with one seed and its test loader pointed at the *val*
split.  :func:`choose` reads those records and returns, per method, the grid
point with the best main metric; the quick suite's ``tuned`` dict must hold
exactly these options (a test checks it), so a weight is never chosen on the
test split and never by hand.
"""
import math
from typing import Dict, List, Optional, Tuple

from .records import STATUS_FINISHED

__all__ = ['GridChoice', 'choose', 'grid_entry_name']

GridChoice = Tuple[str, dict, float]  # (label, cfg_options, main metric on val)


def grid_entry_name(method: str, label: str) -> str:
    """Entry name of one grid point: ``<method>@<label>``."""
    return f'{method}@{label}'


def choose(grids: Dict[str, Dict[str, dict]], records: List[dict], main_metric: str,
           higher_is_better: bool = True) -> Dict[str, Optional[GridChoice]]:
    """Best grid point per method.

    Args:
        grids: ``{method: {label: cfg_options}}`` of the tuning suite.
        records: its result records (any seeds; the mean over finished seeds
            is used).
        main_metric: metric that chooses.
        higher_is_better: direction of ``main_metric``.

    Returns:
        ``{method: (label, cfg_options, value)}``; None for a method until
        every one of its grid points has a finished, finite result (a partial
        grid would not be the same budget for every method). Ties go to the
        grid point listed first.
    """
    values: Dict[str, List[float]] = {}
    for record in records:
        value = (record.get('metrics') or {}).get(main_metric)
        if record.get('status') != STATUS_FINISHED or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            continue
        values.setdefault(record['entry'], []).append(float(value))
    chosen: Dict[str, Optional[GridChoice]] = {}
    for method, points in grids.items():
        scored = []
        for label, options in points.items():
            found = values.get(grid_entry_name(method, label))
            if not found:
                scored = None
                break
            scored.append((label, dict(options), math.fsum(found) / len(found)))
        if not scored:
            chosen[method] = None
            continue
        sign = 1.0 if higher_is_better else -1.0
        best = max(range(len(scored)), key=lambda i: (sign * scored[i][2], -i))
        chosen[method] = scored[best]
    return chosen
