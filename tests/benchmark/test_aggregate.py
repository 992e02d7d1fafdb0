"""Aggregation of the fixture records: numbers checked by hand.

Fixture (tests/benchmark/fixtures/results/fixture-suite):
  teacher  seed 0: F1 80                      -> 80.00, n=1, no std
  student  seeds 0-2: F1 70, 72, 74           -> mean 72, sample std 2
           IoU 50, 53, 56                     -> mean 53, sample std 3
  kd       seeds 0-1: F1 75, 76; seed 2 failed -> mean 75.5, std sqrt(0.5)
  cwd      no record                          -> missing
  fitnet   seed 0 failed                      -> failed
"""
import json
import math

import pytest

from mmkd_rs.benchmark.aggregate import aggregate_board, mean_std
from mmkd_rs.benchmark.records import load_records


@pytest.fixture
def rows(fixtures):
    results = fixtures / 'results'
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    records = load_records(str(results), 'fixture-suite')
    return {r.entry: r for r in aggregate_board(manifest['leaderboards'][0],
                                                manifest['entries'], records)}, records


def test_mean_std_is_sample_std():
    assert mean_std([70.0, 72.0, 74.0]) == (72.0, 2.0)
    mean, std = mean_std([1.0, 2.0, 3.0, 4.0])
    assert mean == 2.5 and std == pytest.approx(math.sqrt(5 / 3))  # ddof=1, not sqrt(5/4)
    assert mean_std([5.0]) == (5.0, None)
    assert mean_std([]) == (None, None)


def test_means_stds_and_counts(rows):
    rows, _ = rows
    assert rows['student'].metrics['F1'] == (72.0, 2.0, 3)
    assert rows['student'].metrics['IoU'] == (53.0, 3.0, 3)
    mean, std, n = rows['kd'].metrics['F1']
    assert (mean, n) == (75.5, 2) and std == pytest.approx(math.sqrt(0.5))
    assert rows['teacher'].metrics['F1'] == (80.0, None, 1)


def test_delta_vs_student_alone(rows):
    rows, _ = rows
    assert rows['kd'].delta == pytest.approx(3.5)
    assert rows['teacher'].delta == pytest.approx(8.0)
    assert rows['student'].delta == 0.0
    assert rows['cwd'].delta is None


def test_failed_and_missing_are_rows(rows):
    rows, _ = rows
    assert rows['cwd'].status == 'missing' and rows['cwd'].missing_seeds == [0, 1, 2]
    assert rows['fitnet'].status == 'failed' and rows['fitnet'].failed_seeds == [0]
    assert 'config file' in rows['fitnet'].errors[0]
    assert rows['kd'].status == '2/3 finished; failed seeds 2'
    assert rows['kd'].n == 2


def test_order_teacher_first_then_by_main_metric(fixtures, rows):
    _, records = rows
    manifest = json.loads((fixtures / 'results' / 'fixture-suite' / 'suite.json').read_text())
    order = [r.entry for r in aggregate_board(manifest['leaderboards'][0],
                                              manifest['entries'], records)]
    assert order == ['teacher', 'kd', 'student', 'cwd', 'fitnet']


def test_costs_carried(rows):
    rows, _ = rows
    assert rows['kd'].params == 1_000_000 and rows['kd'].flops == 500_000_000
    assert rows['kd'].teacher_forward_ms == 40.0
    assert rows['student'].train_per_iter_s == pytest.approx(0.2)


def test_record_of_unknown_entry_is_shown(fixtures):
    results = fixtures / 'results'
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    records = load_records(str(results), 'fixture-suite')
    entries = [e for e in manifest['entries'] if e['name'] != 'kd']  # kd left the suite
    rows = aggregate_board(manifest['leaderboards'][0], entries, records)
    assert 'kd' in [r.entry for r in rows]


def test_two_students_on_one_board_is_an_error(fixtures):
    manifest = json.loads((fixtures / 'results' / 'fixture-suite' / 'suite.json').read_text())
    entries = manifest['entries'] + [dict(name='student2', role='student', method='student',
                                          config='x.py', seeds=[0],
                                          leaderboard='fixture-board')]
    with pytest.raises(ValueError, match='student-alone'):
        aggregate_board(manifest['leaderboards'][0], entries, [])
