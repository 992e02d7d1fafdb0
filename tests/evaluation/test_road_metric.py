"""RoadMetric: registry build, hand-checked pixel scores, connectivity mIoU,
graph metrics and their interval, empty tiles, size errors; every score in percent."""
import math

import numpy as np
import pytest
import torch

from mmkd_rs.registry import METRICS


def _sample(pred, gt, **extra):
    s = dict(pred_sem_seg=dict(data=torch.as_tensor(pred)[None]),
             gt_sem_seg=dict(data=torch.as_tensor(gt)[None]), img_path='tile.png')
    s.update(extra)
    return s


def _plus(size=48):
    m = np.zeros((size, size), np.int64)
    m[size // 2 - 2:size // 2 + 2, 2:-2] = 1
    m[2:-2, size // 2 - 2:size // 2 + 2] = 1
    return m


def _run(metric, samples):
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_pixel_scores_and_connectivity():
    metric = METRICS.build(dict(type='RoadMetric', rho=1, graph_interval=0))
    gt = np.zeros((5, 5), np.int64)
    gt[2, :] = 1
    gt[4, 4] = 255                          # ignored
    pred = np.zeros((5, 5), np.int64)
    pred[2, :3] = 1
    pred[0, 0] = 1
    pred[4, 4] = 1                          # on an ignored pixel: not a false positive
    conn_gt = np.array([[0, 1], [2, 255]])
    conn_pred = np.array([[0, 1], [1, 2]])
    out = _run(metric, [_sample(pred, gt, pred_conn=dict(data=torch.as_tensor(conn_pred)[None]),
                                gt_conn_map=dict(data=torch.as_tensor(conn_gt)[None]))])
    # TP 3, FP 1, FN 2 (the ignored pixel counts nowhere)
    assert out['IoU'] == 50.0 and out['F1'] == 66.67
    assert out['precision'] == 75.0 and out['recall'] == 60.0
    assert out['relaxed_recall'] == 80.0
    # classes 0: 1/1, 1: 1/2, 2: 0/2 -> mean 1/2
    assert out['conn_mIoU'] == 50.0
    assert list(out)[0] == 'IoU' and 'APLS' not in out
    assert not any(k.startswith('road/') for k in out)


def test_graph_metrics_on_interval_and_empty_tiles():
    metric = METRICS.build(dict(type='RoadMetric', gsd=2.0, graph_interval=2,
                                graph_cfg=dict(min_spur_length=3)))
    plus = _plus()
    empty = np.zeros_like(plus)
    first = _run(metric, [_sample(plus, plus), _sample(empty, empty)])
    # identical graphs score 100, the empty tile scores 0 (reference convention)
    assert first['APLS'] == 50.0
    assert first['TOPO_F1'] == 100.0
    second = _run(metric, [_sample(plus, plus)])
    assert 'APLS' not in second and second['IoU'] == 100.0
    third = _run(metric, [_sample(plus, plus)])
    assert third['APLS'] == 100.0
    skip = METRICS.build(dict(type='RoadMetric', gsd=2.0, skip_empty_gt_graph=True))
    assert _run(skip, [_sample(plus, plus), _sample(empty, empty)])['APLS'] == 100.0


def test_no_road_anywhere_is_undefined_not_perfect():
    metric = METRICS.build(dict(type='RoadMetric', gsd=2.0, skip_empty_gt_graph=True))
    empty = np.zeros((16, 16), np.int64)
    conn = dict(data=torch.full((1, 4, 4), 255))          # every connectivity pixel ignored
    out = _run(metric, [_sample(empty, empty, pred_conn=conn, gt_conn_map=conn)])
    for key in ('IoU', 'F1', 'precision', 'recall', 'relaxed_F1', 'relaxed_precision',
                'relaxed_recall', 'clDice', 'conn_mIoU', 'APLS', 'TOPO_F1', 'TOPO_precision',
                'TOPO_recall'):
        assert math.isnan(out[key]), key
    # road only in the ground truth: precision undefined, the F1-like scores 0
    gt = empty.copy()
    gt[8, 2:14] = 1
    out = _run(METRICS.build(dict(type='RoadMetric', graph_interval=0)), [_sample(empty, gt)])
    assert math.isnan(out['precision']) and math.isnan(out['relaxed_precision'])
    assert out['recall'] == out['F1'] == out['IoU'] == out['relaxed_F1'] == out['clDice'] == 0


def test_gt_graph_attached_to_sample_is_used():
    metric = METRICS.build(dict(type='RoadMetric', gsd=2.0))
    plus = _plus()
    # a ground-truth graph that only has the horizontal bar
    bar = [np.array([(2.0, 23.5), (45.0, 23.5)])]
    out = _run(metric, [_sample(plus, plus, gt_graph=bar)])
    assert out['APLS'] < 90


def test_size_mismatch_is_a_clear_error():
    metric = METRICS.build(dict(type='RoadMetric'))
    with pytest.raises(ValueError, match='same size'):
        metric.process({}, [_sample(np.zeros((4, 4)), np.zeros((4, 5)))])
