"""Pixel-level road scores as additive counts: IoU/F1, relaxed (buffered) F1, clDice.

Each ``*_counts`` function takes boolean masks (H, W) and returns integer
counts that can be summed over a dataset; :func:`scores_from_counts` turns
summed counts into ratios. Convention for empty denominators: when neither
prediction nor ground truth has road every score is 1 (nothing to get
wrong); a score whose denominator is empty while the other side has road is 0.

* road IoU / precision / recall / F1 on the masks;
* relaxed precision / recall / F1 (completeness/correctness): centrelines
  (skeletons) of both masks, a predicted centreline pixel is correct when a
  ground-truth centreline pixel lies within ``rho`` pixels (Euclidean
  distance transform), and conversely for recall;
* clDice: Tprec = |skel(P) & G| / |skel(P)|, Tsens = |skel(G) & P| / |skel(G)|,
  clDice = 2 Tprec Tsens / (Tprec + Tsens).
"""
from typing import Dict

import numpy as np
from scipy import ndimage


def skeleton(mask: np.ndarray) -> np.ndarray:
    from skimage.morphology import skeletonize
    mask = np.asarray(mask, bool)
    return skeletonize(mask) if mask.any() else mask.copy()


def within(mask: np.ndarray, rho: float) -> np.ndarray:
    """Pixels at Euclidean distance <= ``rho`` from any pixel of ``mask``."""
    if not mask.any():
        return np.zeros_like(mask, bool)
    return ndimage.distance_transform_edt(~mask) <= rho


def road_counts(pred: np.ndarray, gt: np.ndarray, valid: np.ndarray = None,
                rho: float = 3.0) -> Dict[str, int]:
    """All additive counts of one image (boolean (H, W) masks, ``valid`` optional)."""
    pred = np.asarray(pred, bool)
    gt = np.asarray(gt, bool)
    if pred.shape != gt.shape:
        raise ValueError(f'prediction {pred.shape} and ground truth {gt.shape} differ in size')
    if valid is not None:
        pred = pred & valid
        gt = gt & valid
    sp, sg = skeleton(pred), skeleton(gt)
    return dict(
        tp=int((pred & gt).sum()), fp=int((pred & ~gt).sum()), fn=int((~pred & gt).sum()),
        skel_pred=int(sp.sum()), skel_gt=int(sg.sum()),
        relaxed_tp_pred=int((sp & within(sg, rho)).sum()),
        relaxed_tp_gt=int((sg & within(sp, rho)).sum()),
        skel_pred_in_gt=int((sp & gt).sum()), skel_gt_in_pred=int((sg & pred).sum()))


def _ratio(num: float, den: float, other_empty: bool) -> float:
    if den > 0:
        return num / den
    return 1.0 if other_empty else 0.0


def _hmean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b > 0 else 0.0


def scores_from_counts(c: Dict[str, float]) -> Dict[str, float]:
    """Summed counts -> IoU, precision, recall, F1, relaxed P/R/F1, clDice (0..1)."""
    tp, fp, fn = c['tp'], c['fp'], c['fn']
    precision = _ratio(tp, tp + fp, tp + fn == 0)
    recall = _ratio(tp, tp + fn, tp + fp == 0)
    r_prec = _ratio(c['relaxed_tp_pred'], c['skel_pred'], c['skel_gt'] == 0)
    r_rec = _ratio(c['relaxed_tp_gt'], c['skel_gt'], c['skel_pred'] == 0)
    t_prec = _ratio(c['skel_pred_in_gt'], c['skel_pred'], c['skel_gt'] == 0)
    t_sens = _ratio(c['skel_gt_in_pred'], c['skel_gt'], c['skel_pred'] == 0)
    both_empty = tp + fp + fn == 0
    return dict(
        iou=_ratio(tp, tp + fp + fn, True), precision=precision, recall=recall,
        f1=1.0 if both_empty else _hmean(precision, recall),
        relaxed_precision=r_prec, relaxed_recall=r_rec,
        relaxed_f1=1.0 if c['skel_pred'] + c['skel_gt'] == 0 else _hmean(r_prec, r_rec),
        cldice=1.0 if c['skel_pred'] + c['skel_gt'] == 0 else _hmean(t_prec, t_sens))
