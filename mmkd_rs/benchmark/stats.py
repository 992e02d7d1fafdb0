"""Seed statistics of leaderboards: mean ± std, differences with 95 % intervals, ranks.

Every number is in the metric's own unit (e.g. F1 in points).

* :func:`paired_difference`: ``a - b`` over the seeds both finished.  With
  ``n >= 3`` paired seeds the interval is Student's t interval of the seed
  differences ``d``: ``mean(d) ± t(0.975, n - 1) * sd(d) / sqrt(n)``.
* :func:`welch_difference`: ``mean(a) - mean(b)`` of two unpaired groups
  (``n >= 3`` each) with Welch's interval (Welch-Satterthwaite degrees of
  freedom); used for a teacher whose seeds do not pair with the student's.
* A difference whose interval excludes 0 is ``better`` / ``worse`` (the
  metric's direction decides which); otherwise ``no detectable difference``.
  Fewer than 3 seeds give no interval and no verdict (``needs >= 3 seeds``).
* :func:`significance_ranks`: rank = 1 + the number of entries that are
  detectably better than this one (paired, ``n >= 3``).

Intervals are per comparison, not corrected for multiple comparisons.
"""
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from scipy.stats import t as student_t

__all__ = ['MIN_SEEDS', 'CONFIDENCE', 'BETTER', 'WORSE', 'NO_DIFFERENCE', 'TOO_FEW',
           'Difference', 'mean_std', 't_quantile', 'verdict', 'paired_difference',
           'welch_difference', 'significance_ranks']

MIN_SEEDS = 3
CONFIDENCE = 0.95
BETTER, WORSE = 'better', 'worse'
NO_DIFFERENCE = 'no detectable difference'
TOO_FEW = f'needs >= {MIN_SEEDS} seeds'


@dataclass
class Difference:
    """``a - b`` of a metric (unit of the metric) and its 95 % interval.

    ``half_width`` is None when there are too few seeds; ``n`` counts the
    paired seeds (``test == 'paired'``) or the smaller group (``'welch'``).
    """
    diff: Optional[float]
    half_width: Optional[float]
    n: int
    test: str
    verdict: str
    seeds: List[int] = field(default_factory=list)

    @property
    def low(self) -> Optional[float]:
        return None if self.half_width is None else self.diff - self.half_width

    @property
    def high(self) -> Optional[float]:
        return None if self.half_width is None else self.diff + self.half_width


def mean_std(values: Sequence[float]):
    """(mean, sample std with ddof=1); std is None for fewer than 2 values."""
    if not values:
        return None, None
    mean = math.fsum(values) / len(values)
    if len(values) < 2:
        return mean, None
    var = math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def t_quantile(df: float) -> float:
    """Two-sided :data:`CONFIDENCE` quantile of Student's t (2.776 for df=4)."""
    return float(student_t.ppf(0.5 + CONFIDENCE / 2, df))


def verdict(low: float, high: float, higher_is_better: bool = True) -> str:
    """``better`` / ``worse`` when ``[low, high]`` excludes 0, else no difference."""
    if low > 0:
        return BETTER if higher_is_better else WORSE
    if high < 0:
        return WORSE if higher_is_better else BETTER
    return NO_DIFFERENCE


def paired_difference(a: Dict[int, float], b: Dict[int, float],
                      higher_is_better: bool = True) -> Difference:
    """``a - b`` over the seeds in both (``{seed: value}``), Student t interval."""
    seeds = sorted(set(a) & set(b))
    diffs = [a[s] - b[s] for s in seeds]
    mean, sd = mean_std(diffs)
    if len(diffs) < MIN_SEEDS:
        return Difference(mean, None, len(diffs), 'paired', TOO_FEW, seeds)
    half = t_quantile(len(diffs) - 1) * sd / math.sqrt(len(diffs))
    return Difference(mean, half, len(diffs), 'paired',
                      verdict(mean - half, mean + half, higher_is_better), seeds)


def welch_difference(a: Sequence[float], b: Sequence[float],
                     higher_is_better: bool = True) -> Difference:
    """``mean(a) - mean(b)`` of unpaired groups, Welch's t interval."""
    (mean_a, sd_a), (mean_b, sd_b) = mean_std(a), mean_std(b)
    diff = None if mean_a is None or mean_b is None else mean_a - mean_b
    n = min(len(a), len(b))
    if n < MIN_SEEDS:
        return Difference(diff, None, n, 'welch', TOO_FEW)
    va, vb = sd_a ** 2 / len(a), sd_b ** 2 / len(b)
    if va + vb == 0:
        half = 0.0
    else:
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        half = t_quantile(df) * math.sqrt(va + vb)
    return Difference(diff, half, n, 'welch', verdict(diff - half, diff + half,
                                                      higher_is_better))


def significance_ranks(values: Dict[str, Dict[int, float]],
                       higher_is_better: bool = True) -> Dict[str, int]:
    """Rank of each entry: 1 + how many other entries are detectably better.

    Args:
        values: ``{entry: {seed: main metric}}`` of the entries to rank.

    An entry is detectably better than another when their paired difference
    (``n >= 3`` common seeds) has an interval on the better side of 0.
    Entries sharing a rank are not separated by any entry's comparison.
    """
    ranks = {}
    for name, own in values.items():
        beaten_by = sum(paired_difference(other, own, higher_is_better).verdict == BETTER
                        for other_name, other in values.items() if other_name != name)
        ranks[name] = 1 + beaten_by
    return ranks
