"""Visualizer drawing ``date A | date B | ground truth | prediction`` panels."""
from typing import List, Optional

import numpy as np
from mmseg.structures import SegDataSample

from mmkd_rs.geo import read_raster
from mmkd_rs.registry import VISUALIZERS
from .panel_visualizer import PanelVisualizer

# Panel colours (RGB).
NO_CHANGE = (0, 0, 0)
CHANGE = (255, 255, 255)
IGNORED = (128, 128, 128)
FALSE_POSITIVE = (230, 40, 40)
FALSE_NEGATIVE = (40, 120, 255)


def to_display(image: np.ndarray) -> np.ndarray:
    """Any H x W (x C) raster -> H x W x 3 uint8 RGB for display.

    8-bit images keep their values; other dtypes are stretched per band
    between the 2nd and 98th percentiles. One band is shown as grey, more
    than three bands as their first three.
    """
    if image.ndim == 2:
        image = image[..., None]
    image = image[..., :3]
    if image.dtype != np.uint8:
        data = np.nan_to_num(image.astype(np.float64))
        low = np.percentile(data, 2, axis=(0, 1))
        high = np.percentile(data, 98, axis=(0, 1))
        data = (data - low) / np.maximum(high - low, 1e-12)
        image = (np.clip(data, 0, 1) * 255).astype(np.uint8)
    if image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    elif image.shape[2] == 2:
        image = np.concatenate([image, image[..., :1]], axis=2)
    return np.ascontiguousarray(image)


def change_panel(change: np.ndarray, truth: Optional[np.ndarray] = None,
                 ignore_index: int = 255) -> np.ndarray:
    """Binary map -> RGB panel (white change, black no change, grey ignored).

    With ``truth`` given (prediction panel), false positives are red and
    false negatives blue.
    """
    panel = np.zeros(change.shape + (3, ), np.uint8)
    panel[change == 1] = CHANGE
    panel[change == ignore_index] = IGNORED
    if truth is not None:
        panel[(change == 1) & (truth == 0)] = FALSE_POSITIVE
        panel[(change == 0) & (truth == 1)] = FALSE_NEGATIVE
    return panel


@VISUALIZERS.register_module()
class ChangeDetectionVisualizer(PanelVisualizer):
    """mmseg ``SegLocalVisualizer`` for bi-temporal change detection.

    ``add_datasample`` draws, left to right and at the prediction's size,
    date A, date B, the ground truth (white = change, grey = ignored) and the
    prediction (white = correct change, red = false positive, blue = missed
    change), titled "A (date 1)", "B (date 2)", "ground truth" and
    "prediction", with a legend of these colours below. Date A is the
    ``image`` passed in (``SegVisualizationHook`` reads it from
    ``img_path``); date B is read from ``img_path2`` in the data sample's
    metainfo. Used by ``tools/test.py --show-dir`` through
    ``visualizer = dict(type='ChangeDetectionVisualizer', ...)``.
    """

    def draw_panels(self, image: Optional[np.ndarray], data_sample: Optional[SegDataSample],
                    draw_gt: bool = True,
                    draw_pred: bool = True) -> tuple[List[tuple], List[tuple]]:
        """Titled panels ``[A, B, (ground truth), (prediction)]`` and the legend."""
        if data_sample is None:
            raise ValueError('ChangeDetectionVisualizer needs a data sample with img_path2')
        meta = data_sample.metainfo
        if image is None:
            if 'img_path' not in meta:
                raise ValueError('no image given and no img_path in the data sample')
            image = read_raster(meta['img_path'])[0]
        if 'img_path2' not in meta:
            raise KeyError(f'{meta.get("img_path", "data sample")}: metainfo has no '
                           "'img_path2' (date B); pack it with PackBiTemporalInputs")
        date_b = read_raster(meta['img_path2'])[0]
        truth, pred = self.sample_masks(data_sample)
        panels = [('A (date 1)', to_display(image)), ('B (date 2)', to_display(date_b))]
        legend, shown = [], []
        if draw_gt and truth is not None:
            panels.append(('ground truth', change_panel(truth)))
            shown.append(truth)
        scored = None
        if draw_pred and pred is not None:
            scored = truth if truth is not None and truth.shape == pred.shape else None
            panels.append(('prediction', change_panel(pred, scored)))
            shown.append(pred)
        panels = self.fit_panels(panels, truth, pred, image.shape)
        if shown:
            legend = [('no change', NO_CHANGE), ('change', CHANGE)]
            if any((m == 255).any() for m in shown):
                legend.append(('ignored', IGNORED))
        if scored is not None:
            legend += [('false positive', FALSE_POSITIVE), ('false negative', FALSE_NEGATIVE)]
        return panels, legend
