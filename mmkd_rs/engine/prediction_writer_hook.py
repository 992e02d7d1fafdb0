"""Write predicted label maps to disk (``tools/test.py --out DIR``)."""
import os
import os.path as osp
from typing import Optional

import numpy as np
from mmengine.hooks import Hook

from mmkd_rs.registry import HOOKS

__all__ = ['PredictionWriterHook']


@HOOKS.register_module()
class PredictionWriterHook(Hook):
    """Save ``pred_sem_seg`` of every test sample, as ``tools/infer.py`` does.

    Per sample, named after its input image (``img_path``; for bi-temporal
    pairs the first date): ``<stem>_mask.tif`` when the input is a
    georeferenced raster of the prediction's size (class indices, uint8, with
    the input's CRS and transform and the dataset palette as colour table),
    else ``<stem>_mask.png`` (0 / 255 for two classes, so the mask is visible;
    class indices with the palette for more).  Written through
    :class:`mmkd_rs.geo.PredictionWriter`.  Two samples with the same stem get
    ``_2``, ``_3``... appended rather than overwriting each other.

    Args:
        out_dir (str): Output directory (created).
    """

    priority = 'LOW'

    def __init__(self, out_dir: str):
        self.out_dir = out_dir
        self.classes, self.palette = None, None
        self._seen = {}

    def before_test(self, runner) -> None:
        os.makedirs(self.out_dir, exist_ok=True)
        metainfo = getattr(runner.test_dataloader.dataset, 'metainfo', None) or {}
        self.classes = list(metainfo.get('classes') or [])
        self.palette = metainfo.get('palette')
        self._seen = {}

    def _stem(self, sample, batch_idx: int) -> str:
        path = sample.metainfo.get('img_path') or f'sample_{batch_idx}'
        stem = osp.splitext(osp.basename(str(path)))[0]
        count = self._seen[stem] = self._seen.get(stem, 0) + 1
        return stem if count == 1 else f'{stem}_{count}'

    @staticmethod
    def _georef(path: Optional[str], shape):
        """The input's grid when it is a georeferenced raster of ``shape``,
        else a plain grid of ``shape``."""
        from rasterio import Affine

        from mmkd_rs.geo import Georef
        if path and osp.isfile(str(path)):
            try:
                georef = Georef.from_file(str(path))
            except Exception:       # an input GDAL cannot open: written as a plain PNG
                georef = None
            if georef is not None and georef.is_georeferenced and georef.shape == shape:
                return georef
        return Georef(None, Affine.identity(), int(shape[0]), int(shape[1]))

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        from mmkd_rs.geo import PredictionWriter
        for sample in outputs or []:
            pred = sample.pred_sem_seg.data.squeeze(0).cpu().numpy().astype(np.uint8)
            num_classes = len(self.classes) or max(int(pred.max()) + 1, 2)
            classes = self.classes or [str(i) for i in range(num_classes)]
            palette = self.palette or [[255 * i // max(num_classes - 1, 1)] * 3
                                       for i in range(num_classes)]
            writer = PredictionWriter(self.out_dir, self._stem(sample, batch_idx),
                                      self._georef(sample.metainfo.get('img_path'),
                                                   pred.shape),
                                      classes, palette)
            writer.write((0, pred.shape[0]), (0, pred.shape[1]), pred)
            writer.finish()
