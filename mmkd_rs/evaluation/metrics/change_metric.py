"""Binary change-detection metric from a 2 x 2 confusion matrix."""
from collections import OrderedDict
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log

from mmkd_rs.registry import METRICS


def change_confusion(pred: torch.Tensor, label: torch.Tensor,
                     ignore_index: int = 255) -> np.ndarray:
    """2 x 2 pixel counts, rows = ground truth (0 no change, 1 change), cols = prediction.

    Pixels whose label is ``ignore_index`` are skipped; any other label or
    prediction outside {0, 1} raises ``ValueError``.
    """
    valid = label != ignore_index
    truth, guess = label[valid].long(), pred[valid].long()
    for name, values in (('label', truth), ('prediction', guess)):
        if values.numel() and (values.min() < 0 or values.max() > 1):
            raise ValueError(f'change {name} values must be 0/1 (or {ignore_index} = '
                             f'ignore in labels); got {values.unique().tolist()}')
    return torch.bincount(truth * 2 + guess, minlength=4).reshape(2, 2).cpu().numpy()


def change_scores(confusion: np.ndarray) -> Dict[str, float]:
    """Change-class scores of a 2 x 2 confusion matrix, as fractions in [0, 1].

    ``F1 = 2TP / (2TP + FP + FN)``, ``IoU = TP / (TP + FP + FN)``,
    ``precision = TP / (TP + FP)``, ``recall = TP / (TP + FN)``,
    ``OA = (TP + TN) / N``, ``Kappa = (OA - p_e) / (1 - p_e)`` with ``p_e``
    the chance agreement from the row and column totals. A ratio with a zero
    denominator is NaN (e.g. precision when nothing is predicted as change).
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    (tn, fp), (fn, tp) = confusion
    total = confusion.sum()

    def ratio(num: float, den: float) -> float:
        return float(num / den) if den > 0 else float('nan')

    oa = ratio(tp + tn, total)
    chance = ratio((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp), total ** 2)
    return OrderedDict(
        F1=ratio(2 * tp, 2 * tp + fp + fn),
        precision=ratio(tp, tp + fp),
        recall=ratio(tp, tp + fn),
        IoU=ratio(tp, tp + fp + fn),
        OA=oa,
        Kappa=ratio(oa - chance, 1 - chance) if chance == chance else float('nan'))


@METRICS.register_module()
class ChangeDetectionMetric(BaseMetric):
    """Change-class precision, recall, F1, IoU, plus OA and Cohen's kappa.

    One 2 x 2 confusion matrix is accumulated over the whole set (not a mean
    of per-image scores), then turned into scores reported in percent (like
    mmseg's metrics), F1 first so that ``save_best='auto'`` keeps the best F1.
    Labels are 0 = no change, 1 = change, ``ignore_index`` = skipped.
    The summed confusion counts are logged too (``TP``, ``FP``, ``FN``, ``TN``).

    Args:
        ignore_index (int): Label value excluded from every count. Defaults to 255.
        collect_device (str), prefix (str, optional): as in ``BaseMetric``.
    """

    def __init__(self, ignore_index: int = 255, collect_device: str = 'cpu',
                 prefix: Optional[str] = None, **kwargs) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix, **kwargs)
        self.ignore_index = ignore_index

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Add the confusion matrix of each predicted sample to ``self.results``."""
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze()
            label = sample['gt_sem_seg']['data'].squeeze().to(pred)
            if pred.shape != label.shape:
                raise ValueError(f'{sample.get("img_path", "sample")}: prediction '
                                 f'{tuple(pred.shape)} and label {tuple(label.shape)} differ')
            self.results.append(change_confusion(pred, label, self.ignore_index))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        confusion = np.sum(results, axis=0)
        scores = OrderedDict((k, v * 100) for k, v in change_scores(confusion).items())
        logger = MMLogger.get_current_instance()
        (tn, fp), (fn, tp) = confusion
        print_log('change detection: ' + ', '.join(f'{k}={v:.2f}' for k, v in scores.items())
                  + f' | TP={tp} FP={fp} FN={fn} TN={tn}', logger)
        return scores
