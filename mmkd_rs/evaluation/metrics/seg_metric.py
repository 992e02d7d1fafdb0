"""Segmentation metric for SAR / EO land cover and building extraction:
OA, mIoU, per-class IoU and F1, Cohen's kappa, building F1 and SpaceNet
style polygon F1."""
from collections import OrderedDict
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmengine.logging import MMLogger, print_log
from mmseg.evaluation.metrics import IoUMetric
from prettytable import PrettyTable
from scipy import ndimage

from mmkd_rs.evaluation.functional import (class_mean, class_scores, cohen_kappa,
                                           confusion_matrix, count_scores, overall_accuracy,
                                           percent)
from mmkd_rs.registry import METRICS


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

    Every score comes from :mod:`mmkd_rs.evaluation.functional` (mmseg's
    ``IoUMetric.total_area_to_metrics`` on the areas of the summed confusion
    matrix; F1 is ``2TP / (2TP + FP + FN)``) and follows its rule for empty
    denominators: a class absent from both prediction and ground truth has
    NaN IoU and F1 and is left out of ``mIoU`` / ``mF1``; polygon precision
    (recall) is NaN without predicted (true) objects.

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
        conf = np.sum([r[0] for r in results], axis=0)
        per_class = class_scores(conf)
        iou, f1 = per_class['IoU'], per_class['F1']
        metrics = OrderedDict(
            OA=percent(overall_accuracy(conf)), mIoU=percent(class_mean(iou)),
            mF1=percent(class_mean(f1)), Kappa=percent(cohen_kappa(conf)))
        building = self._building_class()
        if building is not None:
            metrics['building_F1'] = percent(f1[building])
        if self.polygon_f1 and building is not None:
            objects = count_scores(*np.sum([r[1] for r in results], axis=0))
            metrics.update(polygon_F1=percent(objects['F1']),
                           polygon_precision=percent(objects['precision']),
                           polygon_recall=percent(objects['recall']))
        for name, i_val, f_val in zip(classes, iou, f1):
            metrics[f'IoU.{name}'] = percent(i_val)
            metrics[f'F1.{name}'] = percent(f_val)

        table = PrettyTable()
        table.add_column('Class', list(classes))
        table.add_column('IoU', [percent(v) for v in iou])
        table.add_column('F1', [percent(v) for v in f1])
        print_log('per class results:\n' + table.get_string(),
                  logger=MMLogger.get_current_instance())
        return metrics
