"""Writing rasters: GeoTIFFs with a grid's georeference, inference outputs.

:func:`write_raster` writes an array as a GeoTIFF on a :class:`~.georef.Georef`.
:class:`PredictionWriter` writes the outputs of inference window by window:

* Georeferenced input: ``<stem>_mask.tif``, a tiled, deflate-compressed
  GeoTIFF of class indices (uint8, 255 = nodata) with the input's CRS and
  transform and a colour table (the dataset palette), so that GIS software
  and image viewers show the classes in colour.
* Input without georeference (PNG, JPEG, plain TIFF): ``<stem>_mask.png``,
  0 / 255 for two classes, else the class indices with the palette. It is
  converted from a temporary tiled TIFF by GDAL, line by line.
* ``probs=True``: ``<stem>_probs.tif``, float32, one band per class (band
  ``i`` = class ``i``, named after it; one band for a single-logit model),
  NaN on nodata.
"""
import os
import os.path as osp
import warnings
from typing import Dict, Optional, Sequence

import numpy as np

from .georef import Georef

__all__ = ['NODATA', 'PredictionWriter', 'write_raster']

#: Mask value of pixels without valid input.
NODATA = 255
_BLOCK = 256


def _layout(height: int, width: int) -> dict:
    if height >= _BLOCK and width >= _BLOCK:
        return dict(tiled=True, blockxsize=_BLOCK, blockysize=_BLOCK)
    return {}


def _open(path, height, width, count, dtype, georef: Optional[Georef] = None, **options):
    """A GeoTIFF opened for writing; ``georef``'s CRS and transform when it has them."""
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning
    profile = dict(driver='GTiff', height=height, width=width, count=count, dtype=dtype,
                   **options)
    if georef is not None and georef.is_georeferenced:
        if georef.shape != (height, width):
            raise ValueError(f'{path}: {(height, width)} pixels to write on a grid of '
                             f'{georef.shape}')
        profile.update(crs=georef.crs, transform=georef.transform)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', NotGeoreferencedWarning)
        return rasterio.open(path, 'w', **profile)


def _compressed(height: int, width: int, **options) -> dict:
    """Creation options of the inference outputs: deflate, 256 px tiles when they fit."""
    return dict(compress='deflate', **_layout(height, width), **options)


def write_raster(path: str, array: np.ndarray, georef: Optional[Georef] = None,
                 nodata: Optional[float] = None, **options) -> None:
    """Write an ``(H, W)`` or ``(H, W, C)`` array as a GeoTIFF.

    Args:
        path (str): Output file.
        array (np.ndarray): Pixels, channels last; the file takes its dtype.
        georef (Georef, optional): CRS and transform to write (its size must be
            the array's); None or one without georeference writes a plain TIFF.
        nodata (float, optional): Declared nodata value.
        **options: GDAL creation options (``compress='deflate'``, ...).
    """
    array = array[..., None] if array.ndim == 2 else array
    height, width, count = array.shape
    with _open(path, height, width, count, array.dtype, georef, nodata=nodata,
               **options) as dst:
        dst.write(np.moveaxis(array, -1, 0))


class PredictionWriter:
    """Output files of one input raster.

    Args:
        out_dir (str): Output folder (created).
        stem (str): File name stem (the input's).
        georef (Georef): The input's grid; without georeference (``crs`` None
            or the identity transform) the mask is a PNG.
        classes (Sequence[str]): Class names (their count is the number of
            classes).
        palette (Sequence[Sequence[int]]): RGB colour per class.
        probs (bool): Also write class probabilities.
        num_prob_bands (int): Probability bands (classes, or 1 for a
            single-logit model).
    """

    def __init__(self, out_dir: str, stem: str, georef: Georef, classes: Sequence[str],
                 palette: Sequence[Sequence[int]], probs: bool = False,
                 num_prob_bands: Optional[int] = None):
        os.makedirs(out_dir, exist_ok=True)
        height, width = georef.shape
        self.geo = georef.is_georeferenced
        self.crs = georef.crs.to_string() if self.geo else None
        self.binary = len(classes) == 2
        self.paths: Dict[str, str] = {}
        colormap = {i: tuple(int(v) for v in palette[i]) + (255, ) for i in range(len(classes))}
        if self.geo:
            self.mask_path = osp.join(out_dir, f'{stem}_mask.tif')
            self.paths['mask'] = self.mask_path
            self._mask = _open(self.mask_path, height, width, 1, 'uint8', georef,
                               **_compressed(height, width, nodata=NODATA))
        else:
            # class indices for the vectors; the PNG is made from _display
            self.mask_path = osp.join(out_dir, f'.{stem}_mask.tmp.tif')
            self.paths['mask'] = osp.join(out_dir, f'{stem}_mask.png')
            self._mask = _open(self.mask_path, height, width, 1, 'uint8',
                               **_compressed(height, width))
        self._mask.write_colormap(1, colormap)
        self._display = None
        if not self.geo and self.binary:
            self._display_path = osp.join(out_dir, f'.{stem}_mask.tmp255.tif')
            self._display = _open(self._display_path, height, width, 1, 'uint8',
                                  **_compressed(height, width))
        self._probs = None
        if probs:
            self.paths['probs'] = osp.join(out_dir, f'{stem}_probs.tif')
            count = num_prob_bands or len(classes)
            self._probs = _open(self.paths['probs'], height, width, count, 'float32', georef,
                                **_compressed(height, width, nodata=float('nan'),
                                              predictor=3))
            names = classes if count == len(classes) else [classes[-1]]
            for band, name in enumerate(names, 1):
                self._probs.set_band_description(band, str(name))

    def write(self, rows: tuple, cols: tuple, mask: np.ndarray,
              probs: Optional[np.ndarray] = None) -> None:
        """Write the window ``rows`` x ``cols`` (raster pixels, half-open).

        Args:
            mask (np.ndarray): ``(h, w)`` uint8 class indices (255 = nodata).
            probs (np.ndarray, optional): ``(C, h, w)`` float32.
        """
        from rasterio.windows import Window
        window = Window(cols[0], rows[0], cols[1] - cols[0], rows[1] - rows[0])
        self._mask.write(mask, 1, window=window)
        if self._display is not None:
            self._display.write(np.where(mask == 1, 255, 0).astype(np.uint8), 1, window=window)
        if self._probs is not None and probs is not None:
            self._probs.write(probs, window=window)

    def close(self) -> None:
        """Close the rasters (the mask at ``mask_path`` can then be read)."""
        for dataset in (self._mask, self._display, self._probs):
            if dataset is not None and not dataset.closed:
                dataset.close()

    def finish(self) -> Dict[str, str]:
        """Make the PNG of a plain input, remove temporary files; return the paths."""
        self.close()
        if not self.geo:
            from rasterio.shutil import copy
            source = self._display_path if self._display is not None else self.mask_path
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                copy(source, self.paths['mask'], driver='PNG')
            for path in (self.mask_path, getattr(self, '_display_path', None)):
                if path and osp.exists(path):
                    os.remove(path)
            aux = self.paths['mask'] + '.aux.xml'
            if osp.exists(aux):
                os.remove(aux)
        return dict(self.paths)
