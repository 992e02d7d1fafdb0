"""Aggregation of the fixture records: numbers checked by hand.

Fixture (tests/benchmark/fixtures/results/fixture-suite):
  teacher  seed 0: F1 80                      -> 80.00, n=1, no std
  student  seeds 0-2: F1 70, 72, 74           -> mean 72, sample std 2
           IoU 50, 53, 56                     -> mean 53, sample std 3
  kd       seeds 0-1: F1 75, 76; seed 2 failed -> mean 75.5, std sqrt(0.5);
                                                 paired differences 5, 4 (2 seeds)
  at       seeds 0-2: F1 73, 76, 80           -> differences 3, 4, 6: better
  dist     seeds 0-2: F1 71, 74, 77           -> differences 1, 2, 3: 2 +- 2.484, none
  cwd      no record                          -> missing
  fitnet   seed 0 failed                      -> failed
"""
import json
import math
import shutil

import pytest

from mmkd_rs.benchmark.aggregate import aggregate_board
from mmkd_rs.benchmark.records import load_records
from mmkd_rs.benchmark.stats import BETTER, NO_DIFFERENCE, TOO_FEW

T_2 = 4.302653  # t(0.975, df=2)


@pytest.fixture
def rows(fixtures):
    results = fixtures / 'results'
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    records = load_records(str(results), 'fixture-suite')
    return {r.entry: r for r in aggregate_board(manifest['leaderboards'][0],
                                                manifest['entries'], records)}, records


def test_means_stds_and_counts(rows):
    rows, _ = rows
    assert rows['student'].metrics['F1'] == (72.0, 2.0, 3)
    assert rows['student'].metrics['IoU'] == (53.0, 3.0, 3)
    mean, std, n = rows['kd'].metrics['F1']
    assert (mean, n) == (75.5, 2) and std == pytest.approx(math.sqrt(0.5))
    assert rows['teacher'].metrics['F1'] == (80.0, None, 1)


def test_delta_vs_student_alone(rows):
    rows, _ = rows
    # paired over the seeds both finished: kd seeds 0, 1 -> (75 - 70 + 76 - 72) / 2
    assert rows['kd'].delta == pytest.approx(4.5)
    # one teacher seed does not pair with three student seeds: difference of means
    assert rows['teacher'].delta == pytest.approx(8.0)
    assert rows['teacher'].comparison.test == 'welch'
    assert rows['student'].delta == 0.0 and rows['student'].comparison is None
    assert rows['cwd'].delta is None


def test_paired_intervals_and_verdicts(rows):
    rows, _ = rows
    dist = rows['dist'].comparison
    assert (dist.diff, dist.n, dist.test) == (2.0, 3, 'paired')
    assert dist.half_width == pytest.approx(T_2 / math.sqrt(3), abs=1e-5)  # 2.484
    assert dist.verdict == NO_DIFFERENCE
    at = rows['at'].comparison
    assert at.diff == pytest.approx(13 / 3) and at.low > 0 and at.verdict == BETTER
    for name in ('kd', 'teacher'):  # 2 paired seeds; 1 teacher seed
        assert rows[name].comparison.half_width is None
        assert rows[name].comparison.verdict == TOO_FEW


def test_ranks_only_separate_entries_that_differ(rows):
    rows, _ = rows
    # at is detectably better than student and dist; those two are not separated
    assert {n: rows[n].rank for n in ('at', 'student', 'dist')} == {'at': 1, 'student': 2,
                                                                     'dist': 2}
    assert rows['kd'].rank is None  # 2 paired seeds: no rank
    assert rows['teacher'].rank is None  # the upper bound is not ranked


def test_teacher_on_the_student_seeds_is_paired(fixtures, tmp_path):
    results = tmp_path / 'results'
    shutil.copytree(fixtures / 'results', results)
    teacher = json.loads((results / 'fixture-suite' / 'teacher' / 'seed_0.json').read_text())
    for seed, f1 in ((1, 83.0), (2, 84.0)):  # teacher 80, 83, 84 vs student 70, 72, 74
        (results / 'fixture-suite' / 'teacher' / f'seed_{seed}.json').write_text(
            json.dumps(dict(teacher, seed=seed, metrics=dict(teacher['metrics'], F1=f1))))
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    rows = {r.entry: r for r in aggregate_board(manifest['leaderboards'][0],
                                                manifest['entries'],
                                                load_records(str(results), 'fixture-suite'))}
    gap = rows['teacher'].comparison  # differences 10, 11, 10
    sd = math.sqrt(((10 - 31 / 3) ** 2 * 2 + (11 - 31 / 3) ** 2) / 2)
    assert gap.test == 'paired' and gap.diff == pytest.approx(31 / 3)
    assert gap.half_width == pytest.approx(T_2 * sd / math.sqrt(3), abs=1e-5)
    assert gap.verdict == BETTER


def test_invalid_records_are_not_counted(fixtures, tmp_path):
    results = tmp_path / 'results'
    shutil.copytree(fixtures / 'results', results)
    path = results / 'fixture-suite' / 'dist' / 'seed_1.json'
    path.write_text(path.read_text().replace('"F1": 74.0', '"F1": NaN'))
    path = results / 'fixture-suite' / 'teacher' / 'seed_0.json'
    record = json.loads(path.read_text())
    path.write_text(json.dumps(dict(record, metrics={})))
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    rows = {r.entry: r for r in aggregate_board(manifest['leaderboards'][0],
                                                manifest['entries'],
                                                load_records(str(results), 'fixture-suite'))}
    dist = rows['dist']
    assert dist.status == '2/3 finished; invalid seeds 1' and dist.invalid_seeds == [1]
    assert dist.n == 2 and dist.metrics['F1'] == (74.0, pytest.approx(math.sqrt(18)), 2)
    assert dist.metrics['IoU'][2] == 2  # the invalid seed counts for no metric
    assert "main metric 'F1' is nan" in dist.errors[1]
    assert dist.comparison.n == 2 and dist.comparison.verdict == TOO_FEW and dist.rank is None
    assert rows['teacher'].status == 'invalid' and rows['teacher'].n == 0
    assert rows['teacher'].errors[0] == 'finished record without metrics'


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
    assert order == ['teacher', 'at', 'kd', 'dist', 'student', 'cwd', 'fitnet']


def test_costs_carried(rows):
    rows, _ = rows
    assert rows['kd'].params == 1_000_000 and rows['kd'].flops == 500_000_000
    assert rows['kd'].teacher_forward_ms == 40.0
    assert rows['student'].train_per_iter_s == pytest.approx(0.2)


def test_entry_input_reaches_the_row(fixtures):
    """A manifest entry's input (an EO-input teacher) is carried to its row; old
    manifests without the key give None (the student's input)."""
    results = fixtures / 'results'
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    records = load_records(str(results), 'fixture-suite')
    entries = [dict(e, input='eo') if e['role'] == 'teacher' else e
               for e in manifest['entries']]
    rows = {r.entry: r for r in aggregate_board(manifest['leaderboards'][0], entries, records)}
    assert rows['teacher'].input == 'eo' and rows['student'].input is None
    assert rows['teacher'].metrics['F1'][0] == 80.0  # numbers unchanged


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


def test_metric_undefined_in_every_seed(fixtures, tmp_path):
    results = tmp_path / 'results'
    shutil.copytree(fixtures / 'results', results)
    for seed in range(3):  # IoU null (NaN when measured) in every seed of at
        path = results / 'fixture-suite' / 'at' / f'seed_{seed}.json'
        record = json.loads(path.read_text())
        path.write_text(json.dumps(dict(record, metrics=dict(record['metrics'], IoU=None))))
    manifest = json.loads((results / 'fixture-suite' / 'suite.json').read_text())
    rows = {r.entry: r for r in aggregate_board(manifest['leaderboards'][0],
                                                manifest['entries'],
                                                load_records(str(results), 'fixture-suite'))}
    assert rows['at'].undefined == ['IoU'] and rows['at'].metrics['IoU'] == (None, None, 0)
    assert rows['at'].status == 'finished'  # only the main metric makes a record invalid
    assert rows['student'].undefined == [] and rows['cwd'].undefined == []
