"""Segmentation metric for SAR / EO land cover and building extraction:
OA, mIoU, per-class IoU and F1, Cohen's kappa, building F1 and SpaceNet
style polygon F1."""
from collections import OrderedDict
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.logging import MMLogger, print_log
from mmseg.evaluation.metrics import IoUMetric
from prettytable import PrettyTable
from scipy import ndimage

from mmkd_rs.registry import METRICS


def confusion_matrix(pred: torch.Tensor, label: torch.Tensor,
                     num_classes: int, ignore_index: int) -> torch.Tensor:
    """[num_classes, num_classes] counts, rows = ground truth, cols = pred;
    pixels labelled ``ignore_index`` are skipped."""
    valid = label != ignore_index
    index = label[valid].long() * num_classes + pred[valid].long()
    return torch.bincount(index, minlength=num_classes ** 2).reshape(
        num_classes, num_classes).cpu()


def cohen_kappa(confusion: np.ndarray) -> float:
    """Cohen's kappa ``(p_o - p_e) / (1 - p_e)`` of a confusion matrix."""
    total = confusion.sum()
    p_o = np.trace(confusion) / total
    p_e = (confusion.sum(0) * confusion.sum(1)).sum() / total ** 2
    return float((p_o - p_e) / (1 - p_e)) if p_e < 1 else float('nan')


def match_components(pred_mask: np.ndarray, gt_mask: np.ndarray,
                     iou_thr: float = 0.5,
                     connectivity: int = 8) -> Tuple[int, int, int]:
    """SpaceNet-style object matching of two binary masks.

    Connected components of each mask are objects; a predicted and a true
    object match when their IoU is at least ``iou_thr`` (greedy by
    decreasing IoU, one-to-one). Returns ``(tp, fp, fn)``.
    """
    structure = np.ones((3, 3)) if connectivity == 8 else None
    pred_cc, n_pred = ndimage.label(pred_mask, structure)
    gt_cc, n_gt = ndimage.label(gt_mask, structure)
    if n_pred == 0 or n_gt == 0:
        return 0, n_pred, n_gt
    both = (pred_cc > 0) & (gt_cc > 0)
    pairs, inter = np.unique(np.stack([pred_cc[both], gt_cc[both]]), axis=1,
                             return_counts=True)
    area_p = np.bincount(pred_cc.ravel(), minlength=n_pred + 1)
    area_g = np.bincount(gt_cc.ravel(), minlength=n_gt + 1)
    iou = inter / (area_p[pairs[0]] + area_g[pairs[1]] - inter)
    used_p, used_g, tp = set(), set(), 0
    for k in np.argsort(-iou, kind='stable'):
        if iou[k] < iou_thr:
            break
        p, g = pairs[0, k], pairs[1, k]
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            tp += 1
    return tp, n_pred - tp, n_gt - tp


@METRICS.register_module()
class SegmentationMetric(IoUMetric):
    """Pixel and object metrics from a confusion matrix.

    Reported, in percent with two decimals (mmseg's convention; kappa too):
    ``OA``, ``mIoU``, ``mF1``, ``Kappa``, ``IoU.<class>`` and ``F1.<class>``
    for every class; ``building_F1`` (F1 of ``building_class``) when that is
    set; with ``polygon_f1=True`` also ``polygon_F1`` / ``polygon_precision``
    / ``polygon_recall`` (connected components of ``building_class`` in
    prediction and ground truth matched at IoU >= ``polygon_iou_thr``,
    counts summed over the dataset). Pixels labelled ``ignore_index`` (e.g.
    SAR nodata) count nowhere; predicted components are cut to valid pixels.
    Classes absent from both prediction and ground truth give NaN and are
    left out of the means.

    IoU and OA use mmseg's ``IoUMetric.total_area_to_metrics`` on the areas
    read off the confusion matrix; F1 is ``2TP / (2TP + FP + FN)``.

    Args:
        building_class (int, optional): class index of buildings; 'auto'
            means 1 for binary datasets, else None.
        polygon_f1 (bool): compute the object-level F1.
        polygon_iou_thr (float): IoU for an object match (SpaceNet: 0.5).
        connectivity (int): 4 or 8, for connected components.
    """

    def __init__(self,
                 ignore_index: int = 255,
                 building_class='auto',
                 polygon_f1: bool = False,
                 polygon_iou_thr: float = 0.5,
                 connectivity: int = 8,
                 **kwargs) -> None:
        kwargs.pop('iou_metrics', None)
        super().__init__(ignore_index=ignore_index,
                         iou_metrics=['mIoU'], **kwargs)
        self.building_class = building_class
        self.polygon_f1 = polygon_f1
        self.polygon_iou_thr = polygon_iou_thr
        self.connectivity = connectivity

    def _building_class(self) -> Optional[int]:
        if self.building_class == 'auto':
            return 1 if len(self.dataset_meta['classes']) == 2 else None
        return self.building_class

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        num_classes = len(self.dataset_meta['classes'])
        building = self._building_class()
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze()
            label = sample['gt_sem_seg']['data'].squeeze().to(pred)
            conf = confusion_matrix(pred, label, num_classes,
                                    self.ignore_index)
            objects = None
            if self.polygon_f1 and building is not None:
                valid = (label != self.ignore_index).cpu().numpy()
                objects = match_components(
                    (pred == building).cpu().numpy() & valid,
                    (label == building).cpu().numpy(),
                    self.polygon_iou_thr, self.connectivity)
            self.results.append((conf, objects))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        classes = self.dataset_meta['classes']
        conf = sum(r[0] for r in results).double()
        intersect = torch.diag(conf)
        area_label, area_pred = conf.sum(1), conf.sum(0)
        scores = self.total_area_to_metrics(
            intersect, area_pred + area_label - intersect, area_pred,
            area_label, self.metrics, self.nan_to_num, self.beta)
        iou = scores['IoU']
        # F1 = 2TP / (2TP + FP + FN): 0 (not NaN) when a class present in the
        # ground truth is never predicted; NaN only when absent from both.
        with np.errstate(invalid='ignore', divide='ignore'):
            f1 = (2 * intersect / (area_pred + area_label)).numpy()

        def pct(x):
            return float(np.round(x * 100, 2))

        metrics = OrderedDict(
            OA=pct(scores['aAcc']), mIoU=pct(np.nanmean(iou)),
            mF1=pct(np.nanmean(f1)), Kappa=pct(cohen_kappa(conf.numpy())))
        building = self._building_class()
        if building is not None:
            metrics['building_F1'] = pct(f1[building])
        if self.polygon_f1 and building is not None:
            tp, fp, fn = np.sum([r[1] for r in results], axis=0)
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1_obj = 2 * precision * recall / (precision + recall) \
                if precision + recall else 0.0
            metrics.update(polygon_F1=pct(f1_obj),
                           polygon_precision=pct(precision),
                           polygon_recall=pct(recall))
        for name, i_val, f_val in zip(classes, iou, f1):
            metrics[f'IoU.{name}'] = pct(i_val)
            metrics[f'F1.{name}'] = pct(f_val)

        table = PrettyTable()
        table.add_column('Class', list(classes))
        table.add_column('IoU', [pct(v) for v in iou])
        table.add_column('F1', [pct(v) for v in f1])
        print_log('per class results:\n' + table.get_string(),
                  logger=MMLogger.get_current_instance())
        return metrics
