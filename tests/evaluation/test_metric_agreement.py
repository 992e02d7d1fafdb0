"""Change, road and segmentation metrics give the same numbers, under the same
names and in the same unit (percent), for the same binary masks."""
import math

import numpy as np
import pytest
import torch

from mmkd_rs.registry import METRICS


def _samples(pairs):
    return [dict(pred_sem_seg=dict(data=torch.as_tensor(p)[None]),
                 gt_sem_seg=dict(data=torch.as_tensor(g)[None]), img_path=f'{i}.png')
            for i, (p, g) in enumerate(pairs)]


def _evaluate(cfg, pairs):
    metric = METRICS.build(cfg)
    metric.dataset_meta = dict(classes=('background', 'positive'))
    metric.process({}, _samples(pairs))
    return metric.evaluate(len(pairs))


def _all_three(pairs):
    return (_evaluate(dict(type='ChangeDetectionMetric'), pairs),
            _evaluate(dict(type='RoadMetric', graph_interval=0), pairs),
            _evaluate(dict(type='SegmentationMetric', building_class=1), pairs))


def test_same_binary_input_same_scores():
    rng = np.random.default_rng(3)
    pairs = []
    for _ in range(2):
        gt = (rng.random((12, 12)) < 0.3).astype(np.int64)
        pred = np.where(rng.random((12, 12)) < 0.2, 1 - gt, gt)
        gt[0, :4] = 255
        pairs.append((pred, gt))
    change, road, seg = _all_three(pairs)
    # the expected values straight from the summed counts
    pred = np.concatenate([p.ravel() for p, _ in pairs])
    gt = np.concatenate([g.ravel() for _, g in pairs])
    pred, gt = pred[gt != 255], gt[gt != 255]
    tp, fp = np.sum((pred == 1) & (gt == 1)), np.sum((pred == 1) & (gt == 0))
    fn, tn = np.sum((pred == 0) & (gt == 1)), np.sum((pred == 0) & (gt == 0))
    assert min(tp, fp, fn, tn) > 0
    expected = dict(IoU=tp / (tp + fp + fn), F1=2 * tp / (2 * tp + fp + fn),
                    precision=tp / (tp + fp), recall=tp / (tp + fn))
    for key, value in expected.items():
        assert change[key] == road[key] == round(100 * value, 2), key
    assert seg['IoU.positive'] == change['IoU']
    assert seg['F1.positive'] == seg['building_F1'] == change['F1']
    assert seg['OA'] == change['OA'] == round(100 * (tp + tn) / (tp + fp + fn + tn), 2)
    assert seg['Kappa'] == change['Kappa']
    assert 0 < change['F1'] < 100 and -100 <= change['Kappa'] <= 100


_NONE = np.zeros((6, 6), np.int64)
_BAR = np.zeros((6, 6), np.int64)
_BAR[3, 1:5] = 1


@pytest.mark.parametrize('pred, gt, undefined, zero', [
    (_NONE, _NONE, ('IoU', 'F1', 'precision', 'recall'), ()),   # no positive anywhere
    (_NONE, _BAR, ('precision', ), ('IoU', 'F1', 'recall')),    # positive never predicted
    (_BAR, _NONE, ('recall', ), ('IoU', 'F1', 'precision')),    # positive never true
])
def test_same_empty_cases_same_rule(pred, gt, undefined, zero):
    change, road, seg = _all_three([(pred, gt)])
    for key in undefined:
        assert math.isnan(change[key]) and math.isnan(road[key]), key
    for key in zero:
        assert change[key] == road[key] == 0.0, key
    f1_defined = 'F1' in zero
    assert (seg['building_F1'] == 0.0) if f1_defined else math.isnan(seg['building_F1'])
