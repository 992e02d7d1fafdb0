"""Pareto front, stable PNGs, training-log parsing, the curve tool."""
import importlib.util
import json

import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from _benchmark_paths import REPO
from mmkd_rs.benchmark.aggregate import Row
from mmkd_rs.benchmark.plots import (_accuracy_figure, _mean_band, pareto_front,
                                     plot_accuracy_vs_cost, plot_curves, plot_seed_curves,
                                     spread_labels)
from mmkd_rs.benchmark.train_logs import (LogError, curves_from_scalars, find_scalar_files,
                                          loss_parts, read_scalars, read_test_metrics,
                                          train_summary)


def test_pareto_front_by_hand():
    # (GFLOPs, F1): b dominates c (cheaper and better); a, b, d are the front
    points = [(1.0, 70.0), (2.0, 75.0), (3.0, 74.0), (4.0, 80.0), (4.0, 79.0)]
    assert pareto_front(points) == [0, 1, 3]
    # FPS axis: higher is better
    assert pareto_front([(10.0, 70.0), (20.0, 69.0), (5.0, 71.0), (8.0, 60.0)],
                        cost_lower_is_better=False) == [2, 0, 1]
    assert pareto_front([(1.0, 5.0), (1.0, 5.0)]) == [0, 1]  # ties do not dominate


def _rows():
    return [Row('teacher', 'teacher', 'teacher', 't.py', [0], 'finished', 1,
                metrics={'F1': (80.0, None, 1)}, flops=2e9, fps_cpu=10.0),
            Row('kd', 'kd', 'distill', 'k.py', [0, 1], 'finished', 2,
                metrics={'F1': (75.0, 1.0, 2)}, flops=5e8, fps_cpu=40.0),
            Row('cwd', 'cwd', 'distill', 'c.py', [0], 'missing', 0,
                metrics={'F1': (None, None, 0)})]


def test_accuracy_plots_are_byte_stable():
    board = dict(name='b', title='B', main_metric='F1', metrics=['F1'])
    first = plot_accuracy_vs_cost(_rows(), board, 'flops')
    assert first[:8] == b'\x89PNG\r\n\x1a\n'
    assert plot_accuracy_vs_cost(_rows(), board, 'flops') == first
    assert b'Software' not in first and b'matplotlib' not in first
    assert plot_accuracy_vs_cost(_rows(), board, 'fps') != first
    assert plot_accuracy_vs_cost(_rows()[2:], board, 'flops') is None  # nothing to draw
    no_spread = _rows()
    no_spread[1].metrics['F1'] = (75.0, None, 1)
    assert plot_accuracy_vs_cost(no_spread, board, 'flops') != first  # the std bar is drawn


def test_seed_curves_mean_and_std_band():
    # step 30 is logged by one seed only: the band covers the steps both logged
    steps, mean, std = _mean_band([[[10, 70.0], [20, 72.0]], [[10, 74.0], [20, 76.0],
                                                              [30, 1.0]]])
    assert steps == [10, 20] and mean == [72.0, 74.0]
    assert std == pytest.approx([8 ** 0.5, 8 ** 0.5])  # sample std of (70, 74)
    assert _mean_band([[[10, 5.0]]]) == ([10], [5.0], [0.0])
    spread = {'kd': [{'F1': [[10, 70.0], [20, 72.0]]}, {'F1': [[10, 74.0], [20, 76.0]]}],
              'student': [{'F1': [[10, 60.0], [20, 61.0]]}]}
    same_mean = {'kd': [{'F1': [[10, 72.0], [20, 74.0]]}] * 2,
                 'student': [{'F1': [[10, 60.0], [20, 61.0]]}]}
    png = plot_seed_curves(spread, ['loss', 'F1'], 'T')
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and png == plot_seed_curves(spread, ['F1'], 'T')
    assert png != plot_seed_curves(same_mean, ['F1'], 'T')  # the band is drawn
    assert plot_seed_curves({'kd': [{'F1': []}]}, ['loss']) is None


def _png_size(png):
    """(width, height) from the PNG header."""
    return int.from_bytes(png[16:20], 'big'), int.from_bytes(png[20:24], 'big')


def test_spread_labels_by_hand():
    # three labels at one height, 10 apart at least: moved as little as possible
    assert spread_labels([0.0, 0.0, 0.0], 10) == [-10.0, 0.0, 10.0]
    assert spread_labels([0.0, 50.0], 10) == [0.0, 50.0]          # already apart
    assert spread_labels([0.0, 4.0, 100.0], 10) == [-3.0, 7.0, 100.0]
    assert spread_labels([0.0, 1.0, 2.0], 10, low=0, high=100) == [0.0, 10.0, 20.0]
    assert spread_labels([90.0, 95.0, 100.0], 10, low=0, high=100) == [80.0, 90.0, 100.0]


def _board_rows(n_students=14):
    """An EO-input teacher (best and cheapest: it would own the Pareto front)
    and ``n_students`` SAR students crowded at one cost."""
    rows = [Row('eo-teacher', 'teacher', 'teacher', 't.py', [0], 'finished', 1,
                metrics={'F1': (90.0, None, 1)}, flops=1e8, fps_cpu=100.0, input='eo'),
            Row('student', 'student', 'student', 's.py', [0], 'finished', 1,
                metrics={'F1': (70.0, None, 1)}, flops=5e8, fps_cpu=40.0)]
    rows += [Row(f'kd@w{i}', 'kd', 'distill', 'k.py', [0], 'finished', 1,
                 metrics={'F1': (70.0 + 0.05 * i, 0.3, 3)}, flops=5e8, fps_cpu=40.0)
             for i in range(n_students - 1)]
    return rows


def test_accuracy_plot_eo_input_reference_and_readable_labels():
    board = dict(name='b', title='B', main_metric='F1', metrics=['F1'])
    rows = _board_rows()
    fig = _accuracy_figure(rows, board, 'flops')
    ax = fig.axes[0]
    # the EO-input teacher is a hollow reference point, labelled, off the Pareto front
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0] == '1  eo-teacher (EO input)' and legend[1] == '2  student'
    assert legend[-1] == 'Pareto front' and len(legend) == len(rows) + 1
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]  # row order
    assert len(scatters[0].get_facecolors()) == 0 and len(scatters[0].get_edgecolors()) == 1
    assert all(len(c.get_facecolors()) == 1 for c in scatters[1:])  # filled
    front = next(line for line in ax.get_lines() if line.get_label() == 'Pareto front')
    assert 0.1 not in front.get_xdata() and max(front.get_ydata()) == 70.0 + 0.05 * 12
    # 15 numbered labels, none overlapping another
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]  # text, not leader
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(k) for k in range(1, 16))
    assert not [(i, j) for i in range(len(boxes)) for j in range(i)
                if boxes[i].overlaps(boxes[j])]
    assert all(ax.bbox.y0 <= (b.y0 + b.y1) / 2 <= ax.bbox.y1 for b in boxes)
    png = plot_accuracy_vs_cost(rows, board, 'flops')
    assert png == plot_accuracy_vs_cost(_board_rows(), board, 'flops')  # byte-stable
    # without input='eo' the teacher is a normal point and owns the front
    rows[0].input = None
    fig = _accuracy_figure(rows, board, 'flops')
    front = next(line for line in fig.axes[0].get_lines() if line.get_label() == 'Pareto front')
    assert list(front.get_xdata()) == [0.1]


def test_curves_keep_validation_points_and_task_and_distill_losses():
    """Validation every 100 iterations gives 3 points per run; each training line
    gives loss = loss_task + loss_distill (mmengine sums every key with 'loss')."""
    lines = []
    for step in range(10, 301, 10):
        lines.append({'lr': 1e-3, 'step': step, 'loss': 1.75, 'decode.loss_ce': 0.5,
                      'aux.loss_ce': 0.25, 'distill.loss_kd': 1.0, 'distill.weight_kd': 0.5,
                      'decode.acc_seg': 90.0, 'time': 0.1})
        if step % 100 == 0:
            lines.append({'step': step, 'F1': step / 10})
    assert loss_parts(lines[0]) == {'loss_task': 0.75, 'loss_distill': 1.0}
    curves = curves_from_scalars(lines, max_points=10)
    assert sorted(curves) == ['F1', 'loss', 'loss_distill', 'loss_task']
    assert curves['F1'] == [[100, 10.0], [200, 20.0], [300, 30.0]]
    assert len(curves['loss_task']) == 10 and curves['loss_task'][-1] == [300, 0.75]
    assert {v for _, v in curves['loss_distill']} == {1.0}
    student = curves_from_scalars([{'lr': 1e-3, 'step': 10, 'loss': 0.5,
                                    'decode.loss_ce': 0.5}])
    assert student == {'loss': [[10, 0.5]], 'loss_task': [[10, 0.5]]}  # no distill terms
    assert curves_from_scalars(lines, ['loss_task']).keys() == {'loss_task'}


def test_seed_curves_panels_for_new_and_old_records():
    new = {'kd': [{'F1': [[100, 70.0], [200, 72.0]], 'loss': [[10, 2.0], [20, 1.0]],
                   'loss_task': [[10, 1.0], [20, 0.5]],
                   'loss_distill': [[10, 1.0], [20, 0.5]]}]}
    old = {'kd': [{'F1': [[100, 70.0], [200, 72.0]], 'loss': [[10, 2.0], [20, 1.0]]}]}
    keys = ['F1', 'loss', 'loss_task', 'loss_distill']
    # two columns of 4.4 in plus 3 in for the legend; one row of panels is
    # 3.2 in (+0.4 in for the title), two rows 6.8 in; 100 dpi
    assert _png_size(plot_seed_curves(new, keys, 'T')) == (1180, 680)
    assert _png_size(plot_seed_curves(old, keys, 'T')) == (1180, 360)  # old records still plot
    assert plot_seed_curves(old, keys, 'T') == plot_seed_curves(old, ['F1', 'loss'], 'T')


def _write_scalars(path, lines):
    path.parent.mkdir(parents=True)
    path.write_text(''.join(json.dumps(x) + '\n' for x in lines))


def test_resumed_logs_merge_and_summarise(tmp_path):
    _write_scalars(tmp_path / '20260101_000000' / 'vis_data' / 'scalars.json', [
        dict(lr=1e-3, loss=1.0, time=0.2, step=10), dict(lr=1e-3, loss=0.9, time=0.4, step=20),
        dict(F1=50.0, step=20)])
    _write_scalars(tmp_path / '20260101_010000' / 'vis_data' / 'scalars.json', [
        dict(lr=1e-3, loss=0.8, time=0.6, step=20),  # re-logged after resuming
        dict(lr=1e-3, loss=0.7, time=0.6, step=30), dict(F1=60.0, step=30)])
    lines = read_scalars(find_scalar_files(str(tmp_path)))
    assert [(x['step'], 'lr' in x) for x in lines] == [(10, True), (20, True), (20, False),
                                                       (30, True), (30, False)]
    summary = train_summary(lines)
    assert summary['iters'] == 30
    assert summary['per_iter_s'] == pytest.approx((0.2 + 0.6 + 0.6) / 3)
    curves = curves_from_scalars(lines)
    assert curves == {'F1': [[20, 50.0], [30, 60.0]],
                      'loss': [[10, 1.0], [20, 0.8], [30, 0.7]]}
    assert curves_from_scalars([dict(F1=float('nan'), OA=90.0, step=5)]) == {'OA': [[5, 90.0]]}
    assert len(curves_from_scalars([dict(lr=1, loss=float(i), step=i) for i in range(500)],
                                   max_points=50)['loss']) == 50


def test_bad_logs_name_the_file(tmp_path):
    bad = tmp_path / 'scalars.json'
    bad.write_text('{"step": 1}\nnot json\n')
    with pytest.raises(LogError, match='scalars.json:2'):
        read_scalars(str(bad))
    with pytest.raises(LogError, match='no test metrics'):
        read_test_metrics(str(tmp_path))


def test_test_metrics_newest_launch(tmp_path):
    for ts, f1 in (('20260101_000000', 1.0), ('20260102_000000', 2.0)):
        (tmp_path / ts).mkdir()
        (tmp_path / ts / f'{ts}.json').write_text(json.dumps(
            {'F1': f1, 'time': 0.1, 'data_time': 0.1, 'flag': True, 'names': ['a']}))
    assert read_test_metrics(str(tmp_path)) == {'F1': 2.0}


def test_plot_curves_tool(tmp_path):
    _write_scalars(tmp_path / 'run_a' / '20260101_000000' / 'vis_data' / 'scalars.json', [
        dict(lr=1e-3, loss=1.0, step=10), dict(F1=50.0, step=10)])
    spec = importlib.util.spec_from_file_location('plot_curves', REPO / 'tools' / 'analysis' /
                                                  'plot_curves.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / 'c.png'
    assert tool.main([str(tmp_path / 'run_a'), '--keys', 'loss', 'F1', '--out', str(out)]) == 0
    first = out.read_bytes()
    assert tool.main([str(tmp_path / 'run_a'), '--keys', 'loss', 'F1', '--out', str(out)]) == 0
    assert out.read_bytes() == first
    assert tool.main([str(tmp_path / 'run_a'), '--keys', 'mIoU', '--out', str(out)]) == 2
    assert plot_curves({'a': {'loss': [[1, 1.0]]}}, ['loss']) != plot_curves(
        {'a': {'loss': [[1, 2.0]]}}, ['loss'])
