"""Write predicted label maps to disk for offline evaluation
(``tools/test.py --out DIR``)."""
import os
import os.path as osp

import numpy as np
from mmengine.hooks import Hook
from PIL import Image

from mmkd_rs.registry import HOOKS

__all__ = ['PredictionWriterHook']


@HOOKS.register_module()
class PredictionWriterHook(Hook):
    """Save ``pred_sem_seg`` of every test sample as an 8-bit PNG.

    File names follow the input image (``img_path`` stem + ``.png``); values
    are class indices (0..N-1), or ``index * scale`` when ``scale`` is set
    (e.g. 255 for binary masks a person wants to look at).

    Args:
        out_dir (str): Output directory (created).
        scale (int): Multiplier applied to class indices. Defaults to 1.
    """

    priority = 'LOW'

    def __init__(self, out_dir: str, scale: int = 1):
        self.out_dir = out_dir
        self.scale = int(scale)

    def before_test(self, runner) -> None:
        os.makedirs(self.out_dir, exist_ok=True)

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        for sample in outputs or []:
            pred = sample.pred_sem_seg.data.squeeze(0).cpu().numpy().astype(np.int64)
            name = osp.splitext(osp.basename(sample.metainfo.get('img_path', f'{batch_idx}')))[0]
            arr = np.clip(pred * self.scale, 0, 255).astype(np.uint8)
            Image.fromarray(arr).save(osp.join(self.out_dir, name + '.png'))
