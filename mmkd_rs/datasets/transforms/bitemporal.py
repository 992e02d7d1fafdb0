"""Bi-temporal (change detection) transforms.

Results dicts carry two co-registered dates: ``img`` (date A / t1, H x W x Ca)
and ``img2`` (date B / t2, H x W x Cb), plus the change map ``gt_seg_map``
(H x W, 0 = no change, 1 = change, 255 = ignore). Geometric transforms draw
their randomness once and apply it to both dates and every seg field (the
shared geometry of :mod:`mmkd_rs.datasets.transforms.geometry`); photometric
jitter is drawn independently per date. Each class reuses the mmseg transform
of the same role. Random transforms record their draw in
``results`` (``crop_bbox``, ``flip``/``flip_direction``, ``rot90_k``,
``dates_swapped``) and declare it in ``replay_keys`` (see
:mod:`mmkd_rs.datasets.transforms.replay`).
"""
from typing import Optional, Sequence

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.datasets.transforms import (LoadAnnotations, PackSegInputs,
                                       PhotoMetricDistortion, RandomRotate, Resize)

from mmkd_rs.geo import read_raster
from mmkd_rs.registry import TRANSFORMS
from mmkd_rs.utils.errors import DataFileError
from .geometry import SharedRandomCrop, SharedRandomFlip, SharedRandomRot90

DATE_KEYS = ('img', 'img2')


def _misregistration(grids, tol_px: float = 0.01):
    """Why two dates' ``(crs, transform)`` differ (None when they agree).

    Transforms agree when their coefficients differ by at most ``tol_px`` of
    date A's pixel size; a date without georeference differs from one with.
    """
    (crs_a, tf_a), (crs_b, tf_b) = grids
    if (crs_a is None) != (crs_b is None) or (tf_a is None) != (tf_b is None):
        return 'one date is georeferenced and the other is not'
    if crs_a is not None and crs_a != crs_b:
        return f'their CRS differ ({crs_a} vs {crs_b})'
    if tf_a is not None:
        tol = tol_px * max(abs(tf_a.a), abs(tf_a.e))
        if max(abs(x - y) for x, y in zip(tuple(tf_a)[:6], tuple(tf_b)[:6])) > tol:
            return f'their pixel grids differ ({tuple(tf_a)[:6]} vs {tuple(tf_b)[:6]})'
    return None


@TRANSFORMS.register_module()
class LoadBiTemporalImages(BaseTransform):
    """Load both dates of a bi-temporal sample.

    Required keys: ``img_path`` (date A), ``img_path2`` (date B), read by
    :func:`mmkd_rs.geo.read_raster` (GeoTIFFs by rasterio, in file band order
    and dtype; PNG / JPEG by OpenCV, in RGB order).
    Added keys: ``img``, ``img2``, ``img_shape``, ``ori_shape``,
    ``channels_per_date`` and, for georeferenced GeoTIFFs, ``crs`` and
    ``transform`` of date A.

    The two dates must be co-registered: GeoTIFFs whose CRS or pixel grid
    (affine transform, to 1/100 pixel) differ raise ``DataFileError``, as do
    dates of different sizes or band counts.

    Args:
        channels_per_date (tuple[int, int], optional): Expected band counts
            ``(Ca, Cb)``; a file with another count raises ``ValueError``.
        to_float32 (bool): Cast both dates to float32. Defaults to False.
        allow_misregistered (bool): Accept dates whose georeferences differ
            (only date A's is kept). Defaults to False.
    """

    replay_keys = ()

    def __init__(self,
                 channels_per_date: Optional[Sequence[int]] = None,
                 to_float32: bool = False,
                 allow_misregistered: bool = False):
        if channels_per_date is not None and len(channels_per_date) != 2:
            raise ValueError('channels_per_date must be (Ca, Cb), got '
                             f'{channels_per_date}')
        self.channels_per_date = (tuple(channels_per_date)
                                  if channels_per_date is not None else None)
        self.to_float32 = to_float32
        self.allow_misregistered = allow_misregistered

    def transform(self, results: dict) -> dict:
        paths = (results['img_path'], results['img_path2'])
        images, grids = [], []
        for date, path in enumerate(paths):
            image, profile = read_raster(path)
            crs, geo_transform = profile['crs'], profile['transform']
            if geo_transform.is_identity:
                geo_transform = None
            grids.append((crs, geo_transform))
            if self.channels_per_date is not None and \
                    image.shape[2] != self.channels_per_date[date]:
                raise DataFileError(
                    f'{path}: {image.shape[2]} bands, but the config expects '
                    f'{self.channels_per_date[date]} for date {"AB"[date]} '
                    f'(channels_per_date={self.channels_per_date})')
            if self.to_float32:
                image = image.astype(np.float32)
            images.append(image)
            if date == 0 and crs is not None:
                results['crs'] = crs
            if date == 0 and geo_transform is not None:
                results['transform'] = geo_transform
        if images[0].shape[:2] != images[1].shape[:2]:
            raise DataFileError(
                f'date A and date B differ in size: {paths[0]} is '
                f'{images[0].shape[:2]}, {paths[1]} is {images[1].shape[:2]} (H, W)')
        misregistered = not self.allow_misregistered and _misregistration(grids)
        if misregistered:
            raise DataFileError(
                f'date A "{paths[0]}" and date B "{paths[1]}" are not co-registered: '
                f'{misregistered}. Change detection compares the two dates pixel by pixel; '
                'resample date B onto date A\'s grid (e.g. gdalwarp with -t_srs, -te and '
                '-tr of date A), or set allow_misregistered=True in LoadBiTemporalImages to '
                'use them as they are.')
        results['img'], results['img2'] = images
        results['img_shape'] = images[0].shape[:2]
        results['ori_shape'] = images[0].shape[:2]
        results['channels_per_date'] = (images[0].shape[2], images[1].shape[2])
        return results

    def __repr__(self) -> str:
        extra = ', allow_misregistered=True' if self.allow_misregistered else ''
        return (f'{self.__class__.__name__}(channels_per_date='
                f'{self.channels_per_date}, to_float32={self.to_float32}{extra})')


@TRANSFORMS.register_module()
class LoadBiTemporalAnnotations(LoadAnnotations):
    """Load a binary change map and map it to 0 = no change, 1 = change.

    Label files hold 0/255 (LEVIR-CD, WHU-CD, DSIFN-CD, CDD, S2Looking) or 0/1;
    a 3-band label with identical bands is accepted. Any other value raises
    ``ValueError`` naming the file, as does a label whose size differs from
    the images.

    Args:
        label_format (str): ``'0-255'`` (255 = change), ``'0-1'`` (1 = change,
            255 = ignore), ``'auto'`` (``'0-1'`` when the file holds a 1, else
            ``'0-255'``) or ``'0-255-lossy'`` for JPEG-compressed labels (CDD):
            values >= 128 are change, nothing is rejected. Defaults to ``'auto'``.
    """

    FORMATS = ('auto', '0-255', '0-1', '0-255-lossy')
    replay_keys = ()

    def __init__(self, label_format: str = 'auto', **kwargs):
        super().__init__(**kwargs)
        if label_format not in self.FORMATS:
            raise ValueError(f'label_format must be one of {self.FORMATS}, '
                             f'got {label_format!r}')
        self.label_format = label_format

    def _load_seg_map(self, results: dict) -> None:
        path = results['seg_map_path']
        label, _ = read_raster(path)
        if label.shape[2] > 1:
            if not (label == label[..., :1]).all():
                raise DataFileError(f'{path}: change label has {label.shape[2]} '
                                 'differing bands; expected a single-band mask')
        label = label[..., 0]
        if self.label_format == '0-255-lossy':
            label = np.where(label >= 128, 255, 0).astype(np.uint8)
        values = np.unique(label)
        label_format = self.label_format
        if label_format == 'auto':
            label_format = '0-1' if 1 in values else '0-255'
        allowed = (0, 1, 255) if label_format == '0-1' else (0, 255)
        if not np.isin(values, allowed).all():
            raise DataFileError(
                f'{path}: change label values {values.tolist()} are outside '
                f'{list(allowed)} (label_format={label_format!r})')
        if 'img' in results and label.shape != results['img'].shape[:2]:
            raise DataFileError(f'{path}: label size {label.shape} differs from the '
                             f'image size {results["img"].shape[:2]} (H, W)')
        change = np.zeros(label.shape, np.uint8)
        if label_format != '0-1':
            change[label == 255] = 1
        else:
            change[label == 1] = 1
            change[label == 255] = 255
        results['gt_seg_map'] = change
        results.setdefault('seg_fields', []).append('gt_seg_map')

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(label_format={self.label_format!r})'


@TRANSFORMS.register_module()
class BiTemporalRandomCrop(SharedRandomCrop):
    """mmseg ``RandomCrop`` applying the same window to both dates and labels.

    ``cat_max_ratio`` (< 1) draws up to 10 more windows while a single class
    covers that fraction or more, as in mmseg. Adds ``crop_bbox`` =
    ``(y1, y2, x1, x2)``, the window in the pre-crop image (pixels).
    """

    image_keys = DATE_KEYS


@TRANSFORMS.register_module()
class BiTemporalRandomFlip(SharedRandomFlip):
    """mmseg ``RandomFlip`` flipping both dates and labels together."""

    image_keys = DATE_KEYS


@TRANSFORMS.register_module()
class BiTemporalRandomRotate(RandomRotate):
    """mmseg ``RandomRotate`` rotating both dates and labels by one angle.

    Images are padded with ``pad_val``, labels with ``seg_pad_val`` (ignore).
    """

    replay_keys = None
    replay_note = 'its angle is not recorded and the rotation interpolates'

    def transform(self, results: dict) -> dict:
        rotate, degree = self.generate_degree()
        if not rotate:
            return results
        for key in ('img', 'img2'):
            results[key] = mmcv.imrotate(results[key], angle=degree, border_value=self.pal_val,
                                         center=self.center, auto_bound=self.auto_bound)
        for key in results.get('seg_fields', []):
            results[key] = mmcv.imrotate(results[key], angle=degree,
                                         border_value=self.seg_pad_val, center=self.center,
                                         auto_bound=self.auto_bound, interpolation='nearest')
        results['img_shape'] = results['img'].shape[:2]
        return results


@TRANSFORMS.register_module()
class BiTemporalRandomRot90(SharedRandomRot90):
    """Rotate both dates and labels by the same random multiple of 90 degrees.

    Adds ``rot90_k``: counter-clockwise quarter turns (``np.rot90``), 0 when
    not rotated.

    Args:
        prob (float): Probability of rotating (by 90, 180 or 270 degrees,
            equally likely). Defaults to 0.5.
    """

    image_keys = DATE_KEYS


@TRANSFORMS.register_module()
class BiTemporalResize(Resize):
    """mmseg ``Resize``; date B is resized to date A's new size."""

    replay_keys = ()

    def transform(self, results: dict) -> dict:
        results = super().transform(results)
        height, width = results['img'].shape[:2]
        results['img2'] = mmcv.imresize(results['img2'], (width, height),
                                        interpolation=self.interpolation,
                                        backend=self.backend)
        return results


@TRANSFORMS.register_module()
class BiTemporalPhotoMetricDistortion(PhotoMetricDistortion):
    """mmseg ``PhotoMetricDistortion`` drawn independently for each date.

    Both dates must be 8-bit 3-band images (the hue/saturation steps work in
    HSV); other inputs raise ``TypeError``.
    """

    replay_keys = None
    replay_note = 'photometric jitter is not recorded and is no tensor operation on outputs'

    def transform(self, results: dict) -> dict:
        for key in ('img', 'img2'):
            image = results[key]
            if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
                raise TypeError(
                    f'{self.__class__.__name__} needs 8-bit 3-band images, but '
                    f'{key} of {results.get("img_path", "?")} is {image.dtype} '
                    f'with shape {image.shape}')
            results[key] = super().transform({'img': image})['img']
        return results


@TRANSFORMS.register_module()
class BiTemporalSwap(BaseTransform):
    """Randomly exchange the two dates (the binary change map is symmetric).

    Swaps ``img``/``img2`` and ``img_path``/``img_path2`` and records
    ``dates_swapped``. Both dates must have the same band count.

    Args:
        prob (float): Swap probability. Defaults to 0.5.
    """

    replay_keys = ('dates_swapped',)   # no tensor op re-applies it to outputs

    def __init__(self, prob: float = 0.5):
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob

    @cache_randomness
    def _draw_swap(self) -> bool:
        return bool(np.random.rand() < self.prob)

    def transform(self, results: dict) -> dict:
        swap = self._draw_swap()
        results['dates_swapped'] = swap
        if not swap:
            return results
        if results['img'].shape[2:] != results['img2'].shape[2:]:
            raise ValueError(
                f'{self.__class__.__name__}: dates of {results.get("img_path", "?")} '
                f'have different band counts {results["img"].shape[2:]} vs '
                f'{results["img2"].shape[2:]}; swapping them would break the '
                'per-date normalisation')
        results['img'], results['img2'] = results['img2'], results['img']
        if 'img_path2' in results:
            results['img_path'], results['img_path2'] = \
                results['img_path2'], results['img_path']
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'


@TRANSFORMS.register_module()
class PackBiTemporalInputs(PackSegInputs):
    """Pack both dates as one C x H x W tensor (date A channels first).

    ``inputs`` has ``Ca + Cb`` channels; ``data_sample.metainfo`` holds
    ``channels_per_date = (Ca, Cb)``, ``img_path2``, ``sample_idx`` and, when
    present, the recorded augmentation (``crop_bbox``, ``flip``,
    ``flip_direction``, ``rot90_k``, ``dates_swapped``) and ``crs`` /
    ``transform``. Dates of different dtypes are both cast to float32.
    """

    replay_keys = ()

    def __init__(self,
                 meta_keys=('img_path', 'img_path2', 'seg_map_path', 'ori_shape', 'img_shape',
                            'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                            'reduce_zero_label', 'channels_per_date', 'dates_swapped', 'crs',
                            'transform', 'sample_idx', 'crop_bbox', 'rot90_k')):
        super().__init__(meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        img_a, img_b = results['img'], results['img2']
        img_a = img_a[..., None] if img_a.ndim == 2 else img_a
        img_b = img_b[..., None] if img_b.ndim == 2 else img_b
        if img_a.dtype != img_b.dtype:
            img_a, img_b = img_a.astype(np.float32), img_b.astype(np.float32)
        results = dict(results)
        results['img'] = np.concatenate([img_a, img_b], axis=2)
        results['channels_per_date'] = (img_a.shape[2], img_b.shape[2])
        return super().transform(results)
