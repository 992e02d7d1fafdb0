"""The shared confusion-matrix helper: hand-computed scores, the empty-denominator
rule, agreement with mmseg's IoUMetric."""
import math
import warnings

import numpy as np
import pytest
import torch
from mmseg.evaluation.metrics import IoUMetric

from mmkd_rs.evaluation.functional import (binary_scores, class_mean, class_scores,
                                           cohen_kappa, confusion_matrix, count_scores,
                                           harmonic_f1, overall_accuracy, percent, ratio)

NAN = math.nan


def _pct(scores: dict) -> dict:
    return {k: percent(v) for k, v in scores.items()}


def _same(actual, expected):
    """Element-wise equality to 2 decimals with NaN == NaN."""
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(expected, float),
                               atol=0.005, rtol=0)


def test_confusion_matrix_counts_rows_truth_and_skips_ignored():
    pred = torch.tensor([[0, 1, 1], [2, 0, 1]])
    label = torch.tensor([[0, 1, 0], [2, 255, 1]])
    expected = [[1, 1, 0], [0, 2, 0], [0, 0, 1]]
    assert confusion_matrix(pred, label, 3).tolist() == expected
    assert confusion_matrix(pred.numpy(), label.numpy(), 3).dtype == np.int64
    assert confusion_matrix(pred.numpy(), label.numpy(), 3).tolist() == expected
    assert confusion_matrix(pred, label.masked_fill(label == 255, 7), 3,
                            ignore_index=7).tolist() == expected


def test_confusion_matrix_rejects_values_out_of_range_and_sizes():
    with pytest.raises(ValueError, match=r'prediction values must be in \[0, 2\)'):
        confusion_matrix(torch.tensor([0, 2]), torch.tensor([0, 1]), 2)
    with pytest.raises(ValueError, match=r'label values must be in \[0, 2\)'):
        confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 3]), 2)
    with pytest.raises(ValueError, match='differ in size'):
        confusion_matrix(torch.zeros(3), torch.zeros(4), 2)


def test_multiclass_scores_by_hand():
    # rows = truth. class 2 is predicted once but never true; class 3 is absent from both.
    conf = np.array([[5, 1, 0, 0], [2, 3, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    scores = {k: [percent(x) for x in v] for k, v in class_scores(conf).items()}
    assert list(scores) == ['IoU', 'F1', 'precision', 'recall']
    # class 0: TP 5, predicted 7, true 6 ; class 1: TP 3, predicted 4, true 6
    _same(scores['precision'], [500 / 7, 75.0, 0.0, NAN])
    _same(scores['recall'], [500 / 6, 50.0, NAN, NAN])
    _same(scores['IoU'], [62.5, 300 / 7, 0.0, NAN])
    _same(scores['F1'], [1000 / 13, 60.0, 0.0, NAN])
    assert percent(overall_accuracy(conf)) == 66.67                      # 8 / 12
    # p_o = 8/12, p_e = (7*6 + 4*6) / 144 = 66/144 -> kappa = 30/78 = 5/13
    assert percent(cohen_kappa(conf)) == 38.46
    assert percent(class_mean(class_scores(conf)['IoU'])) == 35.12      # (62.5+42.86+0)/3
    assert percent(class_mean(class_scores(conf)['F1'])) == 45.64       # (76.92+60+0)/3


def test_binary_scores_by_hand():
    # TP 3, FP 1, FN 3, TN 5: P 3/4, R 1/2, F1 6/10, IoU 3/7, OA 8/12, p_e 1/2, kappa 1/3
    s = _pct(binary_scores(np.array([[5, 1], [3, 3]])))
    assert list(s) == ['F1', 'precision', 'recall', 'IoU', 'OA', 'Kappa']
    assert s == dict(F1=60.0, precision=75.0, recall=50.0, IoU=42.86, OA=66.67, Kappa=33.33)
    assert _pct(count_scores(3, 1, 3)) == dict(IoU=42.86, F1=60.0, precision=75.0, recall=50.0)


@pytest.mark.parametrize('conf, expected', [
    # perfect
    ([[5, 0], [0, 3]], dict(F1=100, precision=100, recall=100, IoU=100, OA=100, Kappa=100)),
    # change present, nothing predicted: precision undefined, F1/IoU 0, kappa 0
    ([[5, 0], [3, 0]], dict(F1=0, precision=NAN, recall=0, IoU=0, OA=62.5, Kappa=0)),
    # change predicted, none true: recall undefined
    ([[5, 2], [0, 0]], dict(F1=0, precision=0, recall=NAN, IoU=0, OA=71.43, Kappa=0)),
    # no change anywhere: every change-class score undefined, kappa undefined (p_e = 1)
    ([[8, 0], [0, 0]], dict(F1=NAN, precision=NAN, recall=NAN, IoU=NAN, OA=100, Kappa=NAN)),
    # nothing valid at all
    ([[0, 0], [0, 0]], dict(F1=NAN, precision=NAN, recall=NAN, IoU=NAN, OA=NAN, Kappa=NAN)),
])
def test_empty_denominators_are_nan(conf, expected):
    s = _pct(binary_scores(np.array(conf)))
    _same([s[k] for k in expected], list(expected.values()))


def test_harmonic_f1_ratio_and_means_follow_the_same_rule():
    assert harmonic_f1(0.75, 0.8) == pytest.approx(2 * 0.75 * 0.8 / 1.55)
    assert harmonic_f1(0.0, 0.0) == 0.0
    assert harmonic_f1(NAN, 0.0) == 0.0 and harmonic_f1(0.0, NAN) == 0.0
    assert math.isnan(harmonic_f1(NAN, NAN))
    assert ratio(3, 4) == 0.75 and math.isnan(ratio(0, 0))
    with warnings.catch_warnings():
        warnings.simplefilter('error')          # no "Mean of empty slice"
        assert math.isnan(class_mean([NAN, NAN]))
        assert class_mean([0.5, NAN, 1.0]) == 0.75
    assert math.isnan(percent(NAN)) and percent(0.123456) == 12.35


def test_agrees_with_mmseg_iou_metric():
    rng = np.random.default_rng(0)
    pred = rng.integers(0, 4, (2, 16, 16))
    gt = rng.integers(0, 3, (2, 16, 16))         # class 3 only predicted: IoU 0, recall NaN
    gt[:, 0] = 255
    reference = IoUMetric(iou_metrics=['mIoU', 'mDice', 'mFscore'])
    reference.dataset_meta = dict(classes=('a', 'b', 'c', 'd'))
    conf = 0
    for p, g in zip(pred, gt):
        reference.results.append(IoUMetric.intersect_and_union(
            torch.tensor(p), torch.tensor(g), 4, 255))
        conf = conf + confusion_matrix(p, g, 4)
    ref = reference.compute_metrics(reference.results)
    scores = class_scores(conf)
    assert percent(overall_accuracy(conf)) == pytest.approx(ref['aAcc'])
    assert percent(class_mean(scores['IoU'])) == pytest.approx(ref['mIoU'])
    assert percent(class_mean(scores['F1'])) == pytest.approx(ref['mDice'])
    assert percent(class_mean(scores['precision'])) == pytest.approx(ref['mPrecision'])
    assert percent(class_mean(scores['recall'])) == pytest.approx(ref['mRecall'])
    assert math.isnan(scores['recall'][3]) and scores['IoU'][3] == 0
