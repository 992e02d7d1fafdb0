"""Pixel-level road scores as additive counts: IoU/F1, relaxed (buffered) F1, clDice.

Each ``*_counts`` function takes boolean masks (H, W) and returns integer
counts that can be summed over a dataset; :func:`scores_from_counts` turns
summed counts into fractions in [0, 1] with :mod:`mmkd_rs.evaluation.functional`
and its rule for empty denominators: a ratio over nothing is NaN (precision
without predicted road, recall without true road); IoU, F1, relaxed F1 and
clDice are NaN only when neither side has road, 0 when one side has none.

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


def scores_from_counts(c: Dict[str, float]) -> Dict[str, float]:
    """Summed counts -> IoU, precision, recall, F1, relaxed P/R/F1, clDice
    (fractions in [0, 1], NaN where undefined)."""
    from mmkd_rs.evaluation.functional import count_scores, harmonic_f1, ratio
    pixel = count_scores(c['tp'], c['fp'], c['fn'])
    r_prec = ratio(c['relaxed_tp_pred'], c['skel_pred'])
    r_rec = ratio(c['relaxed_tp_gt'], c['skel_gt'])
    t_prec = ratio(c['skel_pred_in_gt'], c['skel_pred'])
    t_sens = ratio(c['skel_gt_in_pred'], c['skel_gt'])
    return dict(
        iou=pixel['IoU'], precision=pixel['precision'], recall=pixel['recall'], f1=pixel['F1'],
        relaxed_precision=r_prec, relaxed_recall=r_rec, relaxed_f1=harmonic_f1(r_prec, r_rec),
        cldice=harmonic_f1(t_prec, t_sens))
