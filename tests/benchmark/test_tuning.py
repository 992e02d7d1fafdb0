"""The equal tuning budget: grid points chosen on the val split, by the records."""
import math

from mmkd_rs.benchmark.tuning import choose

GRIDS = dict(kd={'w1': {'w': 1.0}, 'w3': {'w': 3.0}, 'w10': {'w': 10.0}},
             fitnet={'w0.1': {'w': 0.1}, 'w1': {'w': 1.0}})


def _rec(entry, value, status='finished', seed=0):
    return dict(entry=entry, seed=seed, status=status, metrics=dict(F1=value))


def test_best_point_per_method_and_incomplete_grid():
    records = [_rec('kd@w1', 80.0), _rec('kd@w3', 83.5), _rec('kd@w10', 81.0),
               _rec('fitnet@w0.1', 70.0)]  # fitnet@w1 not run yet
    chosen = choose(GRIDS, records, 'F1')
    assert chosen['kd'] == ('w3', {'w': 3.0}, 83.5)
    assert chosen['fitnet'] is None  # a partial grid is not the same budget


def test_failed_nan_and_direction_and_ties():
    records = [_rec('kd@w1', 80.0), _rec('kd@w3', 90.0, status='failed'),
               _rec('kd@w3', 79.0, seed=1), _rec('kd@w10', math.nan),
               _rec('fitnet@w0.1', 5.0), _rec('fitnet@w1', 5.0)]
    chosen = choose(GRIDS, records, 'F1')
    assert chosen['kd'] is None  # w10 has no finite value
    records.append(_rec('kd@w10', 85.0, seed=1))
    chosen = choose(GRIDS, records, 'F1')
    assert chosen['kd'][0] == 'w10'
    assert chosen['fitnet'][0] == 'w0.1'  # tie: the first grid point
    lower = choose(GRIDS, records, 'F1', higher_is_better=False)
    assert lower['kd'][0] == 'w3'  # the failed 90.0 is ignored: 79.0 is lowest
