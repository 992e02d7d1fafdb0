"""Binary change-detection metric from a 2 x 2 confusion matrix."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log

from mmkd_rs.evaluation.functional import binary_scores, confusion_matrix, percent
from mmkd_rs.registry import METRICS


@METRICS.register_module()
class ChangeDetectionMetric(BaseMetric):
    """Change-class ``F1``, ``precision``, ``recall``, ``IoU``, plus ``OA`` and ``Kappa``.

    One 2 x 2 confusion matrix is accumulated over the whole set (not a mean
    of per-image scores), then turned into scores in percent with
    :func:`~mmkd_rs.evaluation.functional.binary_scores` (empty
    denominators give NaN, see :mod:`mmkd_rs.evaluation.functional`), F1
    first so that ``save_best='auto'`` keeps the best F1. Labels are
    0 = no change, 1 = change, ``ignore_index`` = skipped; any other value
    raises ``ValueError``. The summed counts are logged too (``TP``, ``FP``,
    ``FN``, ``TN``).

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
            self.results.append(confusion_matrix(pred, label, 2, self.ignore_index))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        confusion = np.sum(results, axis=0)
        scores = {k: percent(v) for k, v in binary_scores(confusion).items()}
        (tn, fp), (fn, tp) = confusion
        print_log('change detection: ' + ', '.join(f'{k}={v:.2f}' for k, v in scores.items())
                  + f' | TP={tp} FP={fp} FN={fn} TN={tn}', MMLogger.get_current_instance())
        return scores
