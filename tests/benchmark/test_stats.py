"""Seed statistics: paired and Welch intervals, verdicts, ranks, checked by hand."""
import math

import pytest
from scipy import stats as scipy_stats

from mmkd_rs.benchmark.stats import (BETTER, NO_DIFFERENCE, TOO_FEW, WORSE, mean_std,
                                     paired_difference, significance_ranks, t_quantile,
                                     verdict, welch_difference)

T_2 = 4.302653  # t(0.975, df=2) from a t table
T_4 = 2.776445  # t(0.975, df=4)


def test_t_quantiles_match_the_table():
    assert t_quantile(2) == pytest.approx(T_2, abs=1e-6)
    assert t_quantile(4) == pytest.approx(T_4, abs=1e-6)


def test_paired_interval_by_hand():
    # differences [1, 2, 3]: mean 2, sd 1, CI 2 +- 4.303 * 1 / sqrt(3) = 2 +- 2.484
    student = {0: 70.0, 1: 72.0, 2: 74.0}
    method = {0: 71.0, 1: 74.0, 2: 77.0}
    diff = paired_difference(method, student)
    assert (diff.diff, diff.n, diff.test, diff.seeds) == (2.0, 3, 'paired', [0, 1, 2])
    assert diff.half_width == pytest.approx(2.484138, abs=1e-6)
    assert diff.half_width == pytest.approx(T_2 / math.sqrt(3), abs=1e-6)
    assert (diff.low, diff.high) == pytest.approx((2 - 2.484138, 2 + 2.484138), abs=1e-6)
    assert diff.verdict == NO_DIFFERENCE  # the interval holds 0
    reference = scipy_stats.ttest_rel([71, 74, 77], [70, 72, 74]).confidence_interval()
    assert (diff.low, diff.high) == pytest.approx((reference.low, reference.high))


def test_paired_uses_only_common_seeds():
    # differences [3, 4, 6] on seeds 0-2 (seed 3 of a only, seed 4 of b only are ignored)
    a = {0: 73.0, 1: 76.0, 2: 80.0, 3: 10.0}
    b = {0: 70.0, 1: 72.0, 2: 74.0, 4: 99.0}
    diff = paired_difference(a, b)
    sd = math.sqrt(((3 - 13 / 3) ** 2 + (4 - 13 / 3) ** 2 + (6 - 13 / 3) ** 2) / 2)
    assert diff.seeds == [0, 1, 2] and diff.diff == pytest.approx(13 / 3)
    assert diff.half_width == pytest.approx(T_2 * sd / math.sqrt(3), abs=1e-5)
    assert diff.low > 0 and diff.verdict == BETTER
    assert paired_difference(b, a).verdict == WORSE
    # lower is better (e.g. an error): the same numbers read the other way
    assert paired_difference(a, b, higher_is_better=False).verdict == WORSE


def test_fewer_than_three_seeds_give_no_interval_nor_verdict():
    diff = paired_difference({0: 75.0, 1: 76.0}, {0: 70.0, 1: 72.0, 2: 74.0})
    assert (diff.diff, diff.n, diff.half_width, diff.verdict) == (4.5, 2, None, TOO_FEW)
    assert diff.low is None and diff.high is None
    none = paired_difference({5: 1.0}, {0: 1.0})
    assert (none.diff, none.n, none.verdict) == (None, 0, TOO_FEW)


def test_welch_interval_by_hand():
    # means 82 and 72, variances 4 and 4, n 3 and 3: se = sqrt(8/3), df = 4
    diff = welch_difference([80.0, 82.0, 84.0], [70.0, 72.0, 74.0])
    assert diff.diff == 10.0 and diff.test == 'welch' and diff.n == 3
    assert diff.half_width == pytest.approx(T_4 * math.sqrt(8 / 3), abs=1e-5)  # 4.5338
    assert diff.verdict == BETTER
    reference = scipy_stats.ttest_ind([80, 82, 84], [70, 72, 74],
                                      equal_var=False).confidence_interval()
    assert (diff.low, diff.high) == pytest.approx((reference.low, reference.high))
    one_teacher = welch_difference([80.0], [70.0, 72.0, 74.0])
    assert (one_teacher.diff, one_teacher.half_width, one_teacher.verdict) == (8.0, None,
                                                                              TOO_FEW)


def test_verdict_edges():
    assert verdict(0.1, 2.0) == BETTER and verdict(-2.0, -0.1) == WORSE
    assert verdict(0.0, 2.0) == NO_DIFFERENCE  # touching 0 is not excluding it
    assert verdict(0.1, 2.0, higher_is_better=False) == WORSE


def test_ranks_count_only_detectably_better_entries():
    values = {'student': {0: 70.0, 1: 72.0, 2: 74.0},
              'at': {0: 73.0, 1: 76.0, 2: 80.0},      # better than both others
              'dist': {0: 71.0, 1: 74.0, 2: 77.0}}    # no detectable difference to student
    assert significance_ranks(values) == {'student': 2, 'at': 1, 'dist': 2}
    # lower is better: 'at' is beaten by both, student and dist are not separated
    assert significance_ranks(values, higher_is_better=False) == {'student': 1, 'at': 3,
                                                                  'dist': 1}
    assert significance_ranks({'a': {0: 1.0, 1: 2.0}, 'b': {0: 5.0, 1: 9.0}}) == \
        {'a': 1, 'b': 1}  # two seeds: nothing is separated


def test_mean_std_is_sample_std():
    assert mean_std([70.0, 72.0, 74.0]) == (72.0, 2.0)
    mean, std = mean_std([1.0, 2.0, 3.0, 4.0])
    assert mean == 2.5 and std == pytest.approx(math.sqrt(5 / 3))  # ddof=1, not sqrt(5/4)
    assert mean_std([5.0]) == (5.0, None)
    assert mean_std([]) == (None, None)
