"""ChangeDetectionMetric against hand-computed confusion counts."""
import math

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.evaluation.metrics.change_metric import ChangeDetectionMetric
from mmkd_rs.registry import METRICS


def _sample(pred, label):
    sample = SegDataSample()
    sample.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
    sample.gt_sem_seg = PixelData(data=torch.tensor(label)[None])
    return sample.to_dict()


def test_two_images_accumulate_one_confusion_matrix():
    # image 1: TP=2 FP=1 FN=1 TN=4 ; image 2: TP=1 FP=0 FN=2 TN=1, one ignored pixel
    pred1 = [[1, 1, 1, 0], [0, 0, 0, 0]]
    gt1 = [[1, 1, 0, 1], [0, 0, 0, 0]]
    pred2 = [[1, 0, 0, 0, 1]]
    gt2 = [[1, 1, 1, 0, 255]]
    metric = METRICS.build(dict(type='ChangeDetectionMetric'))
    metric.dataset_meta = dict(classes=('unchanged', 'changed'))
    metric.process({}, [_sample(pred1, gt1), _sample(pred2, gt2)])
    scores = metric.evaluate(2)
    tp, fp, fn, tn = 3, 1, 3, 5
    n = tp + fp + fn + tn
    oa = (tp + tn) / n
    p_e = ((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp)) / n ** 2
    expected = dict(precision=tp / (tp + fp), recall=tp / (tp + fn),
                    F1=2 * tp / (2 * tp + fp + fn), IoU=tp / (tp + fp + fn), OA=oa,
                    Kappa=(oa - p_e) / (1 - p_e))
    # By hand: P = 0.75, R = 0.5, F1 = 0.6, IoU = 3/7, OA = 8/12, p_e = 0.5, kappa = 1/3.
    assert expected['F1'] == pytest.approx(0.6) and expected['Kappa'] == pytest.approx(1 / 3)
    assert list(scores)[0] == 'F1'
    for key, value in expected.items():
        assert scores[key] == round(100 * value, 2)


def _evaluate(pairs, **kwargs):
    metric = ChangeDetectionMetric(**kwargs)
    metric.dataset_meta = dict(classes=('unchanged', 'changed'))
    metric.process({}, [_sample(p, g) for p, g in pairs])
    return metric.evaluate(len(pairs))


def test_ignore_index_excludes_pixels_and_custom_value():
    scores = _evaluate([([[1, 0, 1]], [[7, 0, 1]])], ignore_index=7)
    assert scores['OA'] == 100.0 and scores['F1'] == 100.0


def test_degenerate_cases_follow_the_shared_rule():
    nothing_predicted = _evaluate([([[0, 0, 0, 0]], [[0, 1, 1, 0]])])
    assert math.isnan(nothing_predicted['precision'])
    assert nothing_predicted['F1'] == 0 and nothing_predicted['recall'] == 0
    assert nothing_predicted['Kappa'] == 0.0
    no_change_anywhere = _evaluate([([[0, 0]], [[0, 0]])])
    assert no_change_anywhere['OA'] == 100.0
    assert all(math.isnan(no_change_anywhere[k])
               for k in ('F1', 'precision', 'recall', 'IoU', 'Kappa'))


def test_values_outside_binary_rejected():
    metric = ChangeDetectionMetric()
    with pytest.raises(ValueError, match=r'prediction values must be in \[0, 2\)'):
        metric.process({}, [_sample([[0, 2]], [[0, 1]])])
    with pytest.raises(ValueError, match='differ'):
        metric.process({}, [_sample([[0, 1]], [[0, 1, 1]])])
