"""Per-modality radiometry for paired SAR / EO samples: dB scaling, nodata
masking and band selection. They act on whichever of ``img`` /
``teacher_img`` holds the named modality (see ``LoadPairedModalities``)."""
import warnings
from typing import Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmkd_rs.datasets.sar_optical.geo_io import SARDataError, complex_sar_message
from mmkd_rs.registry import TRANSFORMS

#: |value| above which a SAR value cannot be backscatter in dB (1e10 in power).
MAX_ABS_DB = 100.0


def modality_keys(results: dict, modality: str) -> list:
    """Keys (``'img'``, ``'teacher_img'``) holding ``modality``."""
    keys = []
    if results.get('student_modality') == modality and 'img' in results:
        keys.append('img')
    if results.get('teacher_modality') == modality and 'teacher_img' in results:
        keys.append('teacher_img')
    return keys


@TRANSFORMS.register_module()
class SARToDecibel(BaseTransform):
    """Scale SAR intensity to decibels and clip it.

    ``input_unit='linear'``: ``x_dB = 10 * log10(max(x, eps))``;
    ``input_unit='db'``: the values are already in dB (SpaceNet 6
    SAR-Intensity and the SEN12MS s1 patches are) and only clipped.
    The result is clipped to ``clip_range`` (dB). NaN stays NaN (the nodata
    mask is taken at load time and applied by :class:`MaskSARNoData`).

    Complex (SLC) input raises ``ValueError`` (a user error naming the file).
    Values that cannot be in the declared unit give one ``UserWarning`` per
    transform (naming the first such file): under ``'db'`` a valid value
    beyond +-100, or no negative value with most below 1 (linear power);
    under ``'linear'`` a negative value (dB). The values are used as they are.

    Args:
        input_unit (str): 'linear' or 'db'.
        clip_range (tuple[float, float], optional): dB range kept.
        eps (float): floor of the linear intensity before the log.
    """

    replay_keys = ()

    def __init__(self,
                 input_unit: str = 'linear',
                 clip_range: Optional[Tuple[float, float]] = (-30.0, 30.0),
                 eps: float = 1e-6) -> None:
        if input_unit not in ('linear', 'db'):
            raise ValueError(f"input_unit must be 'linear' or 'db', got "
                             f'{input_unit!r}.')
        self.input_unit, self.clip_range, self.eps = input_unit, clip_range, eps
        self._unit_warned = False

    def _check_unit(self, x: np.ndarray, nodata, path: str) -> None:
        """Warn once when the values of ``x`` cannot be in ``input_unit``."""
        if nodata is not None and nodata.shape == x.shape[:2]:
            x = x[~nodata]
        x = x[np.isfinite(x)]
        if not x.size:
            return
        low, high = float(x.min()), float(x.max())
        if self.input_unit == 'db':
            if max(-low, high) > MAX_ABS_DB or (
                    low >= 0 and np.count_nonzero(x < 1) * 2 > x.size):
                why = (f'values {low:.4g}..{high:.4g}, no negative one and most below 1'
                       if max(-low, high) <= MAX_ABS_DB else
                       f'values reach {max(-low, high):.4g}, beyond +-{MAX_ABS_DB:g} dB')
                self._warn(path, why, 'linear intensity (or amplitude / digital numbers)',
                           "input_unit='linear'")
        elif low < 0:
            self._warn(path, f'negative values (down to {low:.4g})', 'already in dB',
                       "input_unit='db'")

    def _warn(self, path: str, why: str, looks: str, fix: str) -> None:
        self._unit_warned = True
        warnings.warn(
            f'SARToDecibel(input_unit={self.input_unit!r}): {path} has {why}, which '
            f'cannot be {"backscatter in dB" if self.input_unit == "db" else "linear power"}'
            f'; it is probably {looks}. Set {fix} if so (further files are not reported).',
            UserWarning)

    def transform(self, results: dict) -> dict:
        for key in modality_keys(results, 'sar'):
            path = results.get('img_path' if key == 'img' else 'teacher_img_path', key)
            if np.iscomplexobj(results[key]):
                raise SARDataError(complex_sar_message(path, results[key].dtype))
            x = results[key].astype(np.float32)
            if not self._unit_warned:
                self._check_unit(x, results.get('sar_nodata'), path)
            if self.input_unit == 'linear':
                with np.errstate(invalid='ignore'):
                    x = 10.0 * np.log10(np.maximum(x, self.eps))
            if self.clip_range is not None:
                x = np.clip(x, *self.clip_range)
            results[key] = x.astype(np.float32)
        return results


@TRANSFORMS.register_module()
class MaskSARNoData(BaseTransform):
    """Ignore SAR-nodata pixels in the label, then fill them in the image.

    Order matters and is fixed here: first every pixel of ``sar_nodata`` is
    set to ``ignore_index`` in each of ``seg_fields``; only then are the
    nodata pixels of every SAR image replaced by ``fill_value`` (after dB
    scaling this is typically the low clip value, i.e. "no backscatter").
    Nodata pixels therefore never count in losses or metrics, and no NaN
    reaches the network.

    Args:
        fill_value (float | sequence[float]): value written into SAR nodata
            pixels, one for all bands or one per band (the band means make
            them 0 after normalisation).
        ignore_index (int): label value of ignored pixels.
        require_label (bool): raise when there is no label to mask (a
            training / validation pipeline without labels is a config error).
    """

    replay_keys = ()

    def __init__(self, fill_value=-30.0, ignore_index: int = 255,
                 require_label: bool = True) -> None:
        self.fill_value = fill_value if np.isscalar(fill_value) \
            else np.asarray(fill_value, np.float32)
        self.ignore_index = ignore_index
        self.require_label = require_label

    def transform(self, results: dict) -> dict:
        if 'sar_nodata' not in results:
            raise KeyError('MaskSARNoData needs sar_nodata from '
                           'LoadPairedModalities (no SAR file was read).')
        nodata = results['sar_nodata']
        fields = results.get('seg_fields', [])
        if self.require_label and not fields:
            raise KeyError(f'{results.get("img_path")}: no label loaded '
                           'before MaskSARNoData; nodata cannot be ignored.')
        for key in fields:
            if results[key].shape[:2] != nodata.shape:
                raise ValueError(f'{key} shape {results[key].shape} differs '
                                 f'from the SAR nodata mask {nodata.shape}.')
            label = results[key].copy()
            label[nodata] = self.ignore_index
            results[key] = label
        for key in modality_keys(results, 'sar'):
            img = results[key].copy()
            img[nodata] = self.fill_value
            results[key] = img
        return results


@TRANSFORMS.register_module()
class SelectBands(BaseTransform):
    """Select / re-order / repeat the bands of one modality.

    DisOptNet feeds the optical teacher PS-RGB re-ordered to 4 bands
    ``[B, R, R, G]`` so that its stem matches the 4-band SAR student:
    ``SelectBands(modality='eo', indices=(2, 0, 0, 1))`` on RGB input.
    """

    replay_keys = ()

    def __init__(self, modality: str, indices: Sequence[int]) -> None:
        self.modality, self.indices = modality, list(indices)

    def transform(self, results: dict) -> dict:
        for key in modality_keys(results, self.modality):
            img = results[key]
            if max(self.indices) >= img.shape[2]:
                raise ValueError(
                    f'SelectBands{self.indices}: {results.get(key + "_path", key)} '
                    f'has only {img.shape[2]} band(s).')
            results[key] = np.ascontiguousarray(img[..., self.indices])
        return results
