"""Confusion matrices and the scores read off them: the one home for every metric family.

Change detection, roads (pixel, relaxed, clDice, connectivity, TOPO) and
segmentation (pixel and polygon) all count with :func:`confusion_matrix` or
count true/false positives directly, and turn the counts into scores here.
IoU, F1, precision and recall come from mmseg's
``IoUMetric.total_area_to_metrics`` (its IoU, Dice, Precision and Recall).

Conventions, shared by all metrics of this package:

* **Counts, then scores.** A confusion matrix is (C, C) int64, rows = ground
  truth, columns = prediction; pixels labelled ``ignore_index`` count
  nowhere. Counts are summed over the whole evaluation set and the scores
  are computed once from the sums (never a mean of per-image scores).
* **Fractions here, percent in reports.** The functions below return
  fractions in [0, 1]; metrics report ``percent(x) = round(100 x, 2)``, as
  mmseg does (graph scores such as APLS too).
* **Empty denominators give NaN** (undefined), as in mmseg (``0 / 0``):

  - ``precision = TP / (TP + FP)``: NaN when nothing is predicted positive;
  - ``recall = TP / (TP + FN)``: NaN when the ground truth has no positive;
  - ``IoU = TP / (TP + FP + FN)`` and ``F1 = 2TP / (2TP + FP + FN)`` (mmseg's
    Dice): NaN only when the class is absent from both prediction and
    ground truth; 0 when it is on one side only;
  - F1 from a precision and a recall of different counts (relaxed F1,
    clDice): :func:`harmonic_f1`, NaN when both are NaN, a NaN side counts
    as 0 otherwise (so it is 0 when one side is empty, like the F1 above);
  - ``OA``: NaN for an empty matrix; Cohen's kappa: NaN when the chance
    agreement is 1 (one class only, in both prediction and ground truth);
  - class means (``mIoU``, ``mF1``) leave NaN classes out (mmseg's
    ``nanmean``); NaN when every class is NaN.

  Records store NaN as ``null`` and leaderboards show it as ``n/a``.
"""
import math
from collections import OrderedDict
from typing import Dict, Union

import numpy as np
import torch
from mmseg.evaluation.metrics import IoUMetric

__all__ = ['confusion_matrix', 'class_scores', 'count_scores', 'overall_accuracy',
           'cohen_kappa', 'binary_scores', 'ratio', 'harmonic_f1', 'class_mean', 'percent']

ArrayLike = Union[np.ndarray, torch.Tensor]


def confusion_matrix(pred: ArrayLike, label: ArrayLike, num_classes: int,
                     ignore_index: int = 255) -> np.ndarray:
    """(num_classes, num_classes) int64 pixel counts, rows = ground truth, cols = prediction.

    Args:
        pred, label: integer maps of the same shape (tensors or arrays).
        num_classes (int): C; every non-ignored value must be in [0, C).
        ignore_index (int): label value skipped (prediction there too).

    Raises:
        ValueError: shapes differ, or a value is outside [0, C).
    """
    pred, label = torch.as_tensor(pred), torch.as_tensor(label)
    if pred.shape != label.shape:
        raise ValueError(f'prediction {tuple(pred.shape)} and label {tuple(label.shape)} '
                         'differ in size')
    valid = label != ignore_index
    truth, guess = label[valid].long(), pred[valid].long()
    for name, values in (('label', truth), ('prediction', guess)):
        if values.numel() and (values.min() < 0 or values.max() >= num_classes):
            raise ValueError(f'{name} values must be in [0, {num_classes}) (or {ignore_index} '
                             f'= ignore in labels); got {values.unique().tolist()[:20]}')
    counts = torch.bincount(truth * num_classes + guess, minlength=num_classes ** 2)
    return counts.reshape(num_classes, num_classes).cpu().numpy().astype(np.int64)


def _area_scores(intersect, area_pred, area_label) -> Dict[str, np.ndarray]:
    """Per-class IoU, F1 (Dice), precision, recall via mmseg, float64 arrays."""
    inter, pred, label = (torch.tensor(np.asarray(a, np.float64).reshape(-1))
                          for a in (intersect, area_pred, area_label))
    scores = IoUMetric.total_area_to_metrics(inter, pred + label - inter, pred, label,
                                             ['mIoU', 'mDice', 'mFscore'])
    return OrderedDict(IoU=scores['IoU'], F1=scores['Dice'],
                       precision=scores['Precision'], recall=scores['Recall'])


def class_scores(confusion: np.ndarray) -> Dict[str, np.ndarray]:
    """Per-class ``IoU``, ``F1``, ``precision``, ``recall`` (each (C,), fractions)."""
    conf = np.asarray(confusion, np.float64)
    return _area_scores(np.diag(conf), conf.sum(0), conf.sum(1))


def count_scores(tp: float, fp: float, fn: float) -> Dict[str, float]:
    """``IoU``, ``F1``, ``precision``, ``recall`` of one positive class from its counts."""
    return OrderedDict((k, float(v[0])) for k, v in _area_scores(tp, tp + fp, tp + fn).items())


def overall_accuracy(confusion: np.ndarray) -> float:
    """Correct / valid pixels (mmseg's ``aAcc``); NaN for an empty matrix."""
    conf = np.asarray(confusion, np.float64)
    total = conf.sum()
    return float(np.trace(conf) / total) if total > 0 else math.nan


def cohen_kappa(confusion: np.ndarray) -> float:
    """Cohen's kappa ``(p_o - p_e) / (1 - p_e)``, ``p_e`` the chance agreement
    from the row and column totals; NaN when ``p_e`` is 1 or the matrix is empty."""
    conf = np.asarray(confusion, np.float64)
    total = conf.sum()
    if total <= 0:
        return math.nan
    p_o = np.trace(conf) / total
    p_e = float((conf.sum(0) * conf.sum(1)).sum() / total ** 2)
    return float((p_o - p_e) / (1 - p_e)) if p_e < 1 else math.nan


def binary_scores(confusion: np.ndarray, positive: int = 1) -> Dict[str, float]:
    """``F1``, ``precision``, ``recall``, ``IoU`` of class ``positive`` plus
    ``OA`` and ``Kappa`` of a (C, C) confusion matrix, as fractions."""
    per_class = class_scores(confusion)
    scores = OrderedDict((k, float(per_class[k][positive]))
                         for k in ('F1', 'precision', 'recall', 'IoU'))
    scores.update(OA=overall_accuracy(confusion), Kappa=cohen_kappa(confusion))
    return scores


def ratio(num: float, den: float) -> float:
    """``num / den``, NaN when ``den`` is 0 (e.g. relaxed precision without predicted road)."""
    return float(num) / float(den) if den > 0 else math.nan


def harmonic_f1(precision: float, recall: float) -> float:
    """``2PR / (P + R)``; NaN when both are NaN, a NaN side counts as 0, 0 when P + R = 0."""
    if math.isnan(precision) and math.isnan(recall):
        return math.nan
    p, r = (0.0 if math.isnan(v) else float(v) for v in (precision, recall))
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def class_mean(values) -> float:
    """Mean over the defined (non-NaN) entries; NaN when there is none."""
    values = np.asarray(values, np.float64)
    defined = values[~np.isnan(values)]
    return float(defined.mean()) if defined.size else math.nan


def percent(value: float) -> float:
    """A fraction as percent with two decimals (mmseg's reporting); NaN stays NaN."""
    return float(np.round(float(value) * 100, 2))
