"""Visualizer drawing ``SAR (dB) | EO | ground truth | prediction`` panels."""
from typing import List, Optional, Sequence

import numpy as np
from mmseg.structures import SegDataSample

from mmkd_rs.geo import read_raster
from mmkd_rs.registry import VISUALIZERS
from .panel_visualizer import PanelVisualizer

IGNORED = (128, 128, 128)


def sar_display(sar: np.ndarray, band: Optional[int] = 0,
                to_db: bool = False,
                percentiles: Sequence[float] = (2, 98)) -> np.ndarray:
    """SAR ``(H, W, C)`` -> grey RGB uint8, contrast-stretched in dB.

    ``to_db`` converts linear intensity with ``10 * log10(max(x, 1e-6))``;
    ``band`` picks a band (None = mean of all bands in dB). The stretch maps
    the given percentiles of the valid pixels to 0..255; nodata (NaN) pixels
    are black.
    """
    x = sar.astype(np.float64)
    if to_db:
        with np.errstate(invalid='ignore'):
            x = 10 * np.log10(np.maximum(x, 1e-6))
    x = x[..., band] if band is not None else np.mean(x, axis=2)
    valid = np.isfinite(x)
    out = np.zeros(x.shape, np.uint8)
    if valid.any():
        low, high = np.percentile(x[valid], percentiles)
        scaled = (x[valid] - low) / max(high - low, 1e-12)
        out[valid] = (np.clip(scaled, 0, 1) * 255).astype(np.uint8)
    return np.repeat(out[..., None], 3, axis=2)


def eo_display(eo: np.ndarray,
               rgb_bands: Sequence[int] = (0, 1, 2)) -> np.ndarray:
    """EO ``(H, W, C)`` -> RGB uint8 of ``rgb_bands`` (non-uint8 data is
    stretched per band between its 2nd and 98th percentiles)."""
    img = eo[..., [b for b in rgb_bands if b < eo.shape[2]]]
    if img.dtype != np.uint8:
        data = np.nan_to_num(img.astype(np.float64))
        low = np.percentile(data, 2, axis=(0, 1))
        high = np.percentile(data, 98, axis=(0, 1))
        img = (np.clip((data - low) / np.maximum(high - low, 1e-12), 0, 1)
               * 255).astype(np.uint8)
    if img.shape[2] < 3:
        img = np.repeat(img[..., :1], 3, axis=2)
    return np.ascontiguousarray(img)


def label_panel(label: np.ndarray, palette: Sequence[Sequence[int]],
                ignore_index: int = 255) -> np.ndarray:
    """Class map -> RGB with the dataset palette; ignored pixels grey."""
    panel = np.zeros(label.shape + (3, ), np.uint8)
    for cls, colour in enumerate(palette):
        panel[label == cls] = colour
    panel[label == ignore_index] = IGNORED
    return panel


def _turn(array: np.ndarray, meta: dict) -> np.ndarray:
    return np.ascontiguousarray(array[::-1, ::-1]) \
        if meta.get('orientation_flip') else array


@VISUALIZERS.register_module()
class SAREOVisualizer(PanelVisualizer):
    """mmseg ``SegLocalVisualizer`` for paired SAR / EO segmentation.

    ``add_datasample`` draws, left to right at the prediction's size: the
    SAR tile (dB, contrast-stretched, nodata black), the EO tile, the ground
    truth and the prediction (dataset palette, ignored pixels grey), titled
    "SAR (<band>, dB)", "EO (teacher input)", "ground truth" and
    "prediction", with a legend of the class colours below. SAR and
    EO are read from ``sar_path`` / ``eo_path`` in the data sample's
    metainfo (packed by ``PackPairedSegInputs``) and turned by 180 degrees
    when ``orientation_flip`` is set, like the loader does; a missing EO
    file or path just leaves its panel out. ``image``, if given, replaces
    the SAR panel. Used by ``tools/test.py --show-dir`` together with
    ``SAREOVisualizationHook``.

    Args:
        sar_band (int, optional): SAR band shown (0 = HH for SpaceNet 6);
            None = mean of the bands in dB.
        sar_band_names (sequence[str], optional): names of the SAR bands
            for the panel title (SpaceNet 6: ('HH', 'HV', 'VH', 'VV'));
            default "band <k>".
        sar_unit (str): 'db' (values already in dB) or 'linear'.
        eo_rgb_bands (sequence[int]): EO bands shown as R, G, B (SEN12MS
            Sentinel-2: (3, 2, 1)).
    """

    def __init__(self, name: str = 'visualizer', sar_band: Optional[int] = 0,
                 sar_unit: str = 'db',
                 eo_rgb_bands: Sequence[int] = (0, 1, 2),
                 sar_band_names: Optional[Sequence[str]] = None, **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.sar_band, self.sar_unit = sar_band, sar_unit
        self.eo_rgb_bands = tuple(eo_rgb_bands)
        self.sar_band_names = tuple(sar_band_names) if sar_band_names else None

    def sar_title(self) -> str:
        """Title of the SAR panel: which band, in dB."""
        if self.sar_band is None:
            return 'SAR (mean of bands, dB)'
        names = self.sar_band_names
        band = names[self.sar_band] if names and self.sar_band < len(names) \
            else f'band {self.sar_band}'
        return f'SAR ({band}, dB)'

    def draw_panels(self, image: Optional[np.ndarray],
                    data_sample: SegDataSample, draw_gt: bool = True,
                    draw_pred: bool = True) -> tuple[List[tuple], List[tuple]]:
        """Titled panels ``[SAR, (EO), (ground truth), (prediction)]`` and the legend."""
        if data_sample is None:
            raise ValueError('SAREOVisualizer needs a data sample.')
        meta = data_sample.metainfo
        palette = self.dataset_meta.get('palette') or [[0, 0, 0],
                                                       [255, 255, 255]]
        title = 'image'
        if image is None:
            path = meta.get('sar_path')
            if not path:
                raise KeyError('data sample has no sar_path in its metainfo; '
                               'pack it with PackPairedSegInputs.')
            sar = _turn(read_raster(path)[0], meta)
            image = sar_display(sar, self.sar_band, self.sar_unit == 'linear')
            title = self.sar_title()
        panels = [(title, image)]
        if meta.get('eo_path'):
            eo = _turn(read_raster(meta['eo_path'])[0], meta)
            panels.append(('EO (teacher input)', eo_display(eo, self.eo_rgb_bands)))
        truth, pred = self.sample_masks(data_sample)
        shown = []
        if draw_gt and truth is not None:
            panels.append(('ground truth', label_panel(truth, palette)))
            shown.append(truth)
        if draw_pred and pred is not None:
            panels.append(('prediction', label_panel(pred, palette)))
            shown.append(pred)
        panels = self.fit_panels(panels, truth, pred, image.shape)
        return panels, self._legend(palette, shown)

    def _legend(self, palette, shown: List[np.ndarray]) -> List[tuple]:
        """Class colours (and grey for ignored pixels when any is shown)."""
        if not shown:
            return []
        classes = self.dataset_meta.get('classes') or []
        legend = [(classes[i] if i < len(classes) else f'class {i}', tuple(colour))
                  for i, colour in enumerate(palette)]
        if any((m == 255).any() for m in shown):
            legend.append(('ignored', IGNORED))
        return legend
