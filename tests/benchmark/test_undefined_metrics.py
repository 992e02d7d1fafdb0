"""A metric a run measured but found undefined (NaN -> null in the record) is
shown as 'n/a'; a metric without any result stays '—'."""
from mmkd_rs.benchmark.aggregate import aggregate_board
from mmkd_rs.benchmark.tables import markdown_table


def _record(entry, role, metrics):
    return dict(schema=1, suite='s', entry=entry, seed=0, method=entry, role=role,
                config=f'configs/{entry}.py', status='finished', error=None, metrics=metrics,
                complexity={}, speed={}, train={}, curves={})


def test_null_metric_is_na_and_missing_result_is_dash():
    board = dict(name='b', title='B', main_metric='F1', metrics=['F1', 'precision'])
    entries = [dict(name=n, role=r, method=n, config=f'configs/{n}.py', seeds=[0])
               for n, r in (('student', 'student'), ('kd', 'distill'), ('cwd', 'distill'))]
    records = [_record('student', 'student', dict(F1=0.0, precision=None)),  # nothing predicted
               _record('kd', 'distill', dict(F1=60.0, precision=75.0))]
    rows = {r.entry: r for r in aggregate_board(board, entries, records)}
    assert rows['student'].undefined == ['precision'] and rows['kd'].undefined == []
    assert rows['cwd'].undefined == []                      # no record: not measured at all
    lines = {line.split('|')[1].strip(): [c.strip() for c in line.split('|')[2:-1]]
             for line in markdown_table(list(rows.values()), board).splitlines()[2:]}
    assert lines['student'][1:3] == ['0.00', 'n/a']
    assert lines['kd'][1:3] == ['60.00', '75.00']
    assert lines['cwd'][1:3] == ['—', '—']
