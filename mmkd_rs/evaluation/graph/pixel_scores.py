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
  distance), and conversely for recall;
* clDice: Tprec = |skel(P) & G| / |skel(P)|, Tsens = |skel(G) & P| / |skel(G)|,
  clDice = 2 Tprec Tsens / (Tprec + Tsens).
"""
from typing import Dict, Optional

import numpy as np


def skeleton(mask: np.ndarray) -> np.ndarray:
    """Zhang-Suen skeleton (scikit-image) of a (H, W) mask, bool."""
    from skimage.morphology import skeletonize
    mask = np.asarray(mask, bool)
    return skeletonize(mask) if mask.any() else mask.copy()


def disk_offsets(rho: float) -> np.ndarray:
    """(K, 2) integer offsets (dy, dx) with ``sqrt(dy**2 + dx**2) <= rho``."""
    r = int(np.floor(max(rho, 0.0)))
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    inside = np.sqrt((dy * dy + dx * dx).astype(np.float64)) <= rho
    return np.stack([dy[inside], dx[inside]], axis=1)


def within(mask: np.ndarray, rho: float) -> np.ndarray:
    """Pixels at Euclidean distance <= ``rho`` from any pixel of ``mask`` (H, W).

    Each pixel of ``mask`` marks its disk of radius ``rho``: the same pixels
    as thresholding the Euclidean distance transform of ``~mask`` at ``rho``,
    for O(pixels of mask x disk) work instead of the whole image (the
    skeletons this is used on are a few percent of a tile).
    """
    mask = np.asarray(mask, bool)
    rows, cols = np.nonzero(mask)
    offsets = disk_offsets(rho)
    if len(rows) == 0 or len(offsets) == 0:
        return np.zeros_like(mask)
    r = int(np.abs(offsets).max())
    out = np.zeros((mask.shape[0] + 2 * r, mask.shape[1] + 2 * r), bool)
    for dy, dx in offsets.tolist():
        out[rows + (r + dy), cols + (r + dx)] = True
    return out[r:r + mask.shape[0], r:r + mask.shape[1]]


def road_counts(pred: np.ndarray, gt: np.ndarray, valid: Optional[np.ndarray] = None,
                rho: float = 3.0, pred_skeleton: Optional[np.ndarray] = None,
                gt_skeleton: Optional[np.ndarray] = None) -> Dict[str, int]:
    """All additive counts of one image (boolean (H, W) masks, ``valid`` optional).

    ``pred_skeleton`` / ``gt_skeleton``: :func:`skeleton` of ``pred & valid`` /
    ``gt & valid`` when the caller has it already (a cached ground truth, the
    skeleton the road graph is traced from); computed here otherwise.
    """
    pred = np.asarray(pred, bool)
    gt = np.asarray(gt, bool)
    if pred.shape != gt.shape:
        raise ValueError(f'prediction {pred.shape} and ground truth {gt.shape} differ in size')
    if valid is not None:
        pred = pred & valid
        gt = gt & valid
    sp = skeleton(pred) if pred_skeleton is None else np.asarray(pred_skeleton, bool)
    sg = skeleton(gt) if gt_skeleton is None else np.asarray(gt_skeleton, bool)
    def count(mask):
        return int(np.count_nonzero(mask))

    tp = count(pred & gt)
    return dict(
        tp=tp, fp=count(pred) - tp, fn=count(gt) - tp, skel_pred=count(sp), skel_gt=count(sg),
        relaxed_tp_pred=count(sp & within(sg, rho)), relaxed_tp_gt=count(sg & within(sp, rho)),
        skel_pred_in_gt=count(sp & gt), skel_gt_in_pred=count(sg & pred))


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
