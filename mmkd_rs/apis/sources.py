"""Read windows of the input rasters the way a config's test pipeline loads images.

The first transform of a test pipeline loads the image(s) of a whole tile.
For rasters of any size, :class:`WindowPipeline` replaces it by a reader of
the same kind that returns one window at a time (windowed reads of a
:class:`mmkd_rs.geo.RasterFile`),
with the keys the loading transform would set; annotation loaders are
dropped, and the remaining transforms of the config (SAR dB scaling, nodata
filling, band selection, packing) run on each window unchanged.

Supported loading transforms (one per task family):

* ``LoadBiTemporalImages``: two co-registered dates ``img`` / ``img2``,
  bands in file order (GeoTIFF) or RGB (PNG / JPEG).
* ``LoadImageFromFile`` (mmcv, OpenCV decoding): 8-bit 1- or 3-band images
  as BGR (``color_type='color'``; 1 band is repeated).
* ``LoadPairedModalities``: the student modality only (SAR-only deployment),
  with the SAR nodata mask (NaN, the declared nodata, ``sar_nodata_value``).
"""
from typing import List, Sequence

import numpy as np

from mmkd_rs.geo import RasterFile
from mmkd_rs.utils.errors import UserError

__all__ = ['WindowPipeline', 'LOADERS']

#: The transforms a window reader stands in for, by family.
LOADERS = ('LoadBiTemporalImages', 'LoadImageFromFile', 'LoadPairedModalities')


def _check_same_grid(rasters: Sequence[RasterFile], what: str,
                     georeference: bool = True) -> None:
    first = rasters[0]
    for other in rasters[1:]:
        if other.shape != first.shape:
            raise UserError(f'{what}: "{first.path}" is {first.shape} and "{other.path}" is '
                            f'{other.shape} pixels (H, W); they must share one pixel grid.')
        if georeference and first.is_geo and other.is_geo and (
                other.crs != first.crs or not other.transform.almost_equals(first.transform)):
            raise UserError(f'{what}: "{first.path}" ({first.crs}, {tuple(first.transform)[:6]}) '
                            f'and "{other.path}" ({other.crs}, {tuple(other.transform)[:6]}) '
                            'differ in CRS or transform; co-register them (e.g. gdalwarp) first.')


def _or(a, b):
    if a is None:
        return b
    return a if b is None else a | b


class _BiTemporal:
    """``LoadBiTemporalImages``: two dates, bands in file order; with
    ``allow_misregistered`` their CRS and transform may differ (not their size)."""

    num_inputs = 2

    def __init__(self, channels_per_date=None, to_float32=False, allow_misregistered=False):
        self.channels_per_date = tuple(channels_per_date) if channels_per_date else None
        self.to_float32 = to_float32
        self.allow_misregistered = allow_misregistered

    def check(self, rasters):
        _check_same_grid(rasters, 'bi-temporal pair', not self.allow_misregistered)
        if self.channels_per_date is not None:
            for date, raster in enumerate(rasters):
                if raster.count != self.channels_per_date[date]:
                    raise UserError(
                        f'"{raster.path}" has {raster.count} bands, but the config expects '
                        f'{self.channels_per_date[date]} for date {"AB"[date]} '
                        f'(LoadBiTemporalImages channels_per_date={self.channels_per_date}).')

    def read(self, rasters, rows, cols):
        images = [r.read(rows, cols) for r in rasters]
        nodata = _or(rasters[0].declared_nodata(images[0]), rasters[1].declared_nodata(images[1]))
        if self.to_float32:
            images = [im.astype(np.float32) for im in images]
        results = dict(img=images[0], img2=images[1], img_path=rasters[0].path,
                       img_path2=rasters[1].path,
                       channels_per_date=(images[0].shape[2], images[1].shape[2]))
        return results, nodata


class _Image:
    """mmcv ``LoadImageFromFile`` with OpenCV decoding of 8-bit images (BGR).

    1, 3 or 4 bands (the 4th an alpha band, whose 0 marks nodata): OpenCV's
    ``'color'`` gives BGR (1 band repeated, RGBA composited onto black), its
    ``'unchanged'`` BGR(A).
    """

    num_inputs = 1

    def __init__(self, to_float32=False, color_type='color', **_):
        if color_type not in ('color', 'unchanged'):
            raise UserError(f'LoadImageFromFile(color_type={color_type!r}) is not supported '
                            "by windowed inference; use 'color' or 'unchanged'.")
        self.to_float32, self.color_type = to_float32, color_type

    def check(self, rasters):
        raster = rasters[0]
        rgba = raster.count == 4 and raster.alpha_band == 3
        if raster.dtype != 'uint8' or not (raster.count in (1, 3) or rgba):
            raise UserError(
                f'"{raster.path}" has {raster.count} band(s) of {raster.dtype}; the config '
                'loads images with LoadImageFromFile (OpenCV), which reads 8-bit 1- or '
                '3-band images (or RGB + alpha). Convert the image to 8-bit RGB first (e.g. '
                'gdal_translate -ot Byte -scale -b 1 -b 2 -b 3).')

    def read(self, rasters, rows, cols):
        raster = rasters[0]
        image = raster.read(rows, cols)
        nodata = raster.declared_nodata(image)
        if raster.alpha_band is not None:
            nodata = _or(nodata, image[..., raster.alpha_band] == 0)
        if image.shape[2] == 4 and self.color_type == 'color':
            # OpenCV composites RGBA onto black: round(v * alpha / 255)
            alpha = image[..., 3:].astype(np.uint16)
            image = ((image[..., :3] * alpha + 127) // 255).astype(np.uint8)
        if image.shape[2] >= 3:
            image = np.ascontiguousarray(image[..., [2, 1, 0] + list(range(3, image.shape[2]))])
        elif self.color_type == 'color':
            image = np.repeat(image, 3, axis=2)
        else:
            image = image[..., 0]
        if self.to_float32:
            image = image.astype(np.float32)
        return dict(img=image, img_path=rasters[0].path), nodata


class _PairedStudent:
    """``LoadPairedModalities``: the student modality alone, with SAR nodata."""

    num_inputs = 1

    def __init__(self, student='sar', sar_bands=4, eo_bands=3, sar_nodata_value=None, **_):
        self.student = student
        self.bands = dict(sar=sar_bands, eo=eo_bands)[student]
        self.sar_nodata_value = sar_nodata_value

    def check(self, rasters):
        raster = rasters[0]
        if self.bands is not None and raster.count != self.bands:
            raise UserError(
                f'"{raster.path}" has {raster.count} band(s), but the config expects '
                f'{self.bands} {self.student.upper()} band(s) (LoadPairedModalities '
                f'{self.student}_bands={self.bands}).')

    def read(self, rasters, rows, cols):
        from mmkd_rs.datasets.sar_optical.geo_io import sar_nodata_mask
        image = rasters[0].read(rows, cols)
        results = dict(img=image, img_path=rasters[0].path, student_modality=self.student,
                       teacher_modality=None, orientation_flip=False)
        if self.student != 'sar':
            return results, rasters[0].declared_nodata(image)
        nodata = sar_nodata_mask(image, rasters[0].nodata)
        if self.sar_nodata_value is not None:
            nodata |= sar_nodata_mask(image, self.sar_nodata_value)
        results['sar_nodata'] = nodata
        return results, nodata


_READERS = dict(LoadBiTemporalImages=_BiTemporal, LoadImageFromFile=_Image,
                LoadPairedModalities=_PairedStudent)


class WindowPipeline:
    """A config's test pipeline run on windows of opened rasters.

    Args:
        pipeline (list[dict]): The test pipeline of the config; its first
            transform must be one of :data:`LOADERS`. Later transforms whose
            type starts with ``Load`` (annotations) are left out;
            ``MaskSARNoData`` runs without labels.

    Call it with the opened rasters and a window to get the packed sample
    (``inputs``, ``data_samples``) and the window's nodata mask.
    """

    def __init__(self, pipeline: List[dict]):
        from mmengine.dataset import Compose
        if not pipeline:
            raise UserError('the config has no test pipeline (test_dataloader.dataset.pipeline).')
        loader = dict(pipeline[0])
        kind = loader.pop('type')
        if kind not in _READERS:
            raise UserError(f'the test pipeline starts with {kind}; inference reads windows '
                            f'for pipelines starting with one of {", ".join(LOADERS)}.')
        self.kind = kind
        self.reader = _READERS[kind](**loader)
        rest = []
        for transform in pipeline[1:]:
            transform = dict(transform)
            name = transform.get('type', '')
            if isinstance(name, str) and name.startswith('Load'):
                continue
            if name == 'MaskSARNoData':
                transform['require_label'] = False
            rest.append(transform)
        self.transforms = Compose(rest)

    @property
    def num_inputs(self) -> int:
        """Rasters per sample: 2 for bi-temporal pairs, else 1."""
        return self.reader.num_inputs

    def check(self, rasters: Sequence[RasterFile]) -> None:
        """Raise :class:`UserError` when the rasters do not fit the config."""
        if len(rasters) != self.num_inputs:
            raise UserError(f'{self.kind} needs {self.num_inputs} input raster(s) per sample, '
                            f'got {len(rasters)}.')
        self.reader.check(rasters)

    def __call__(self, rasters, rows: tuple, cols: tuple) -> tuple:
        """``(packed sample dict, (h, w) bool nodata mask or None)`` of one window."""
        results, nodata = self.reader.read(rasters, rows, cols)
        shape = (rows[1] - rows[0], cols[1] - cols[0])
        results.update(img_shape=shape, ori_shape=shape, seg_fields=[])
        return self.transforms(results), nodata
