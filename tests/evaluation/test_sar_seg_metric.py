"""SegmentationMetric against hand-computed values."""
import numpy as np
import pytest
import torch

from mmkd_rs.evaluation.metrics import SegmentationMetric
from mmkd_rs.evaluation.metrics.seg_metric import match_components


def _sample(pred, gt):
    return dict(pred_sem_seg=dict(data=torch.tensor(pred)[None]),
                gt_sem_seg=dict(data=torch.tensor(gt)[None]))


def _run(metric, pairs, classes=('background', 'building')):
    metric.dataset_meta = dict(classes=classes)
    metric.process({}, [_sample(p, g) for p, g in pairs])
    return metric.compute_metrics(metric.results)


def test_binary_pixel_metrics_by_hand():
    gt = [[0, 0, 1, 1], [0, 0, 1, 1], [255, 255, 0, 0]]
    pred = [[0, 1, 1, 1], [0, 0, 0, 1], [1, 1, 0, 0]]
    # valid 10 px; confusion rows=gt: bg: 5 TN, 1 FP ; bld: 1 FN, 3 TP
    m = _run(SegmentationMetric(), [(pred, gt)])
    assert m['OA'] == pytest.approx(80.0)
    iou_b, iou_bg = 3 / 5, 5 / 7
    assert m['IoU.building'] == pytest.approx(round(iou_b * 100, 2))
    assert m['IoU.background'] == pytest.approx(round(iou_bg * 100, 2))
    assert m['mIoU'] == pytest.approx(round((iou_b + iou_bg) / 2 * 100, 2))
    f1_b = 2 * 3 / (2 * 3 + 1 + 1)
    assert m['building_F1'] == m['F1.building'] == pytest.approx(
        round(f1_b * 100, 2))
    p_o, p_e = 0.8, (6 * 6 + 4 * 4) / 100
    assert m['Kappa'] == pytest.approx(round((p_o - p_e) / (1 - p_e) * 100, 2))


def test_confusion_matches_mmseg_intersect_and_union():
    rng = np.random.default_rng(0)
    pred = rng.integers(0, 3, (9, 9))
    gt = rng.integers(0, 3, (9, 9))
    gt[0] = 255
    metric = SegmentationMetric()
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    metric.process({}, [_sample(pred, gt)])
    conf = torch.from_numpy(metric.results[0][0]).float()
    inter, union, area_p, area_g = SegmentationMetric.intersect_and_union(
        torch.tensor(pred), torch.tensor(gt), 3, 255)
    assert torch.equal(torch.diag(conf), inter)
    assert torch.equal(conf.sum(0), area_p)
    assert torch.equal(conf.sum(1), area_g)
    m = metric.compute_metrics(metric.results)
    assert 'building_F1' not in m  # not binary, no building class


def test_polygon_f1_by_hand():
    gt = np.zeros((10, 10), int)
    gt[0:4, 0:4] = 1  # A (16 px)
    gt[6:9, 6:9] = 1  # B (9 px)
    gt[0:2, 7:9] = 1  # C (4 px)
    pred = np.zeros((10, 10), int)
    pred[0:4, 0:3] = 1  # IoU 12/16 with A -> match
    pred[6:7, 6:9] = 1  # IoU 3/9 with B -> no match
    pred[5, 0] = 1      # false positive
    assert match_components(pred == 1, gt == 1) == (1, 2, 2)
    m = _run(SegmentationMetric(polygon_f1=True), [(pred, gt)])
    assert m['polygon_precision'] == pytest.approx(round(100 / 3, 2))
    assert m['polygon_recall'] == pytest.approx(round(100 / 3, 2))
    assert m['polygon_F1'] == pytest.approx(round(100 / 3, 2))


def test_ignored_pixels_do_not_make_objects():
    gt = np.full((4, 4), 255)
    gt[:2] = 0
    pred = np.ones((4, 4), int)
    pred[:2] = 0  # predicted building only inside nodata
    m = _run(SegmentationMetric(polygon_f1=True), [(pred, gt)])
    # no building on either side: building scores undefined, left out of the means
    assert m['OA'] == 100.0 and m['mIoU'] == 100.0 and m['mF1'] == 100.0
    for key in ('IoU.building', 'F1.building', 'building_F1', 'Kappa', 'polygon_F1',
                'polygon_precision', 'polygon_recall'):
        assert np.isnan(m[key]), key


def test_polygon_scores_with_objects_on_one_side_only():
    gt = np.zeros((6, 6), int)
    gt[1:3, 1:3] = 1
    m = _run(SegmentationMetric(polygon_f1=True), [(np.zeros_like(gt), gt)])
    assert np.isnan(m['polygon_precision'])
    assert m['polygon_recall'] == 0.0 and m['polygon_F1'] == 0.0


def test_f1_is_zero_not_nan_when_class_never_predicted():
    gt = [[0, 1], [0, 0]]
    pred = [[0, 0], [0, 0]]
    m = _run(SegmentationMetric(), [(pred, gt)])
    assert m['building_F1'] == 0.0 and m['IoU.building'] == 0.0
    assert m['Kappa'] == 0.0
