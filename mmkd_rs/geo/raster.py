"""Reading rasters: whole files or windows, pixels plus rasterio profile.

* :func:`read_raster` returns ``(array, profile)``: an ``(H, W, C)`` C-contiguous
  array in file band order and dtype (SAR float32 keeps its NaN) and the
  rasterio profile of what was read (``driver``, ``dtype``, ``nodata``,
  ``width``, ``height``, ``count``, ``crs``, ``transform``; for a window its
  size and transform). :meth:`Georef.from_profile <.georef.Georef.from_profile>`
  turns the profile into the grid.
* :class:`RasterFile` keeps one raster open for many windowed reads (the
  inferencer reads rasters of any size window by window).

Decoding: GDAL (rasterio) reads every format, except that ``decoder='auto'``
hands PNG, JPEG, BMP and WebP files to OpenCV as mmcv's ``LoadImageFromFile``
does, so that the pixels equal those of the mmseg pipelines (GDAL's JPEG
decoder differs from OpenCV's by one grey level on some pixels). OpenCV
returns RGB(A) order and no georeference (``crs`` None, identity transform);
``decoder='gdal'`` reads these formats with GDAL too (a palette PNG then gives
its indices). File names that are not valid UTF-8 are read through memory
(GDAL and OpenCV take UTF-8 paths).

Errors name the file: :class:`~mmkd_rs.utils.errors.DataFileNotFoundError`
for a missing file, :class:`~mmkd_rs.utils.errors.DataFileError` for one that
cannot be read (empty, truncated, not a raster).
"""
import os
import os.path as osp
import warnings
from typing import Optional, Sequence, Tuple

import numpy as np

from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError
from .georef import Georef

__all__ = ['read_raster', 'RasterFile', 'OPENCV_SUFFIXES', 'raster_errors',
           'unreadable_message']

#: Formats ``read_raster(decoder='auto')`` decodes with OpenCV.
OPENCV_SUFFIXES = ('.png', '.jpg', '.jpeg', '.jpe', '.bmp', '.webp')

Span = Optional[Tuple[int, int]]


def raster_errors() -> tuple:
    """The exceptions rasterio raises for a file it cannot open or read."""
    from rasterio.errors import RasterioError
    try:
        from rasterio._err import CPLE_BaseError
    except ImportError:  # pragma: no cover (another rasterio layout)
        return (RasterioError, )
    return (RasterioError, CPLE_BaseError)


def unreadable_message(path: str, err: BaseException) -> str:
    """One sentence for a raster file that cannot be read (empty, truncated, ...).

    The reason is GDAL's first complaint: rasterio chains its errors and the
    last one only says "See previous exception for details".
    """
    reason, seen = type(err).__name__, set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        text = str(err).strip().rstrip('.')
        if text and 'previous exception' not in text:
            reason = text
        err = err.__cause__ or err.__context__
    return (f'cannot read "{path}": {reason}. The file is empty, truncated or not a raster '
            'GDAL reads; replace it or leave the sample out.')


def _require_file(path: str) -> None:
    if not osp.isfile(path):
        raise DataFileNotFoundError(f'raster file not found: {path}')


class RasterFile:
    """A raster opened with rasterio (any GDAL format) for windowed reads.

    Use as a context manager or call :meth:`close`.

    Attributes:
        path (str): The file.
        height, width, count (int): Size and band count.
        dtype (str): Data type of band 1.
        nodata (float | None): Declared nodata value.
        alpha_band (int | None): 0-based index of an alpha band (0 = no data),
            as in 8-bit RGBA GeoTIFFs.
        georef (Georef): CRS (None without one), transform and size.
        profile (dict): rasterio profile of the whole raster.
    """

    def __init__(self, path):
        import rasterio
        from rasterio.errors import NotGeoreferencedWarning
        from mmkd_rs.utils.image_io import is_utf8_path
        path = os.fspath(path)
        _require_file(path)
        self.path = path
        self._memfile = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', NotGeoreferencedWarning)
                if is_utf8_path(path):
                    self._src = rasterio.open(path)
                else:   # GDAL takes UTF-8 names: hand it the bytes
                    with open(path, 'rb') as f:
                        self._memfile = rasterio.MemoryFile(f.read())
                    self._src = self._memfile.open()
        except raster_errors() as err:
            self._close_memfile()
            raise DataFileError(unreadable_message(path, err)) from None
        src = self._src
        self.height, self.width, self.count = src.height, src.width, src.count
        self.dtype = src.dtypes[0]
        self.nodata = src.nodata
        alpha = [i for i, c in enumerate(src.colorinterp) if c.name == 'alpha']
        self.alpha_band = alpha[0] if alpha else None
        self.profile = dict(src.profile)
        self.georef = Georef(src.crs, src.transform, src.height, src.width)

    @property
    def is_geo(self) -> bool:
        """A CRS and a transform other than the identity."""
        return self.georef.is_georeferenced

    @property
    def crs(self):
        """rasterio CRS, None when the raster has no georeference."""
        return self.georef.crs if self.is_geo else None

    @property
    def transform(self):
        """Affine pixel -> CRS transform, None when the raster has no georeference."""
        return self.georef.transform if self.is_geo else None

    @property
    def shape(self) -> Tuple[int, int]:
        return self.height, self.width

    def read(self, rows: Span = None, cols: Span = None,
             bands: Optional[Sequence[int]] = None) -> np.ndarray:
        """Pixels ``[rows[0]:rows[1], cols[0]:cols[1]]`` as ``(h, w, C)``, file dtype.

        Args:
            rows, cols (tuple[int, int], optional): Half-open pixel ranges
                (default: all rows / columns).
            bands (Sequence[int], optional): 1-based bands (default: all).
        """
        from rasterio.windows import Window
        window = None
        if rows is not None or cols is not None:
            rows, cols = rows or (0, self.height), cols or (0, self.width)
            window = Window(cols[0], rows[0], cols[1] - cols[0], rows[1] - rows[0])
        try:
            array = self._src.read(None if bands is None else list(bands), window=window)
        except raster_errors() as err:
            raise DataFileError(unreadable_message(self.path, err)) from None
        return np.ascontiguousarray(np.moveaxis(array, 0, -1))

    def window_profile(self, rows: Span = None, cols: Span = None,
                       bands: Optional[Sequence[int]] = None) -> dict:
        """rasterio profile of what :meth:`read` returns for the same arguments."""
        profile = dict(self.profile)
        if rows is not None or cols is not None:
            rows, cols = rows or (0, self.height), cols or (0, self.width)
            grid = self.georef.window(rows, cols)
            profile.update(height=grid.height, width=grid.width, transform=grid.transform)
        if bands is not None:
            profile['count'] = len(bands)
        return profile

    def declared_nodata(self, array: np.ndarray) -> Optional[np.ndarray]:
        """``(h, w)`` True where every band of ``array`` equals the declared nodata, or None."""
        if self.nodata is None:
            return None
        if np.isnan(self.nodata):
            return np.isnan(array).all(axis=2)
        return (array == self.nodata).all(axis=2)

    def _close_memfile(self) -> None:
        if self._memfile is not None:
            self._memfile.close()
            self._memfile = None

    def close(self) -> None:
        self._src.close()
        self._close_memfile()

    def __enter__(self) -> 'RasterFile':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read_opencv(path: str, rows: Span, cols: Span, bands):
    """OpenCV decoding in RGB(A) order, as mmcv's LoadImageFromFile decodes images."""
    import cv2
    from rasterio import Affine
    from mmkd_rs.utils.image_io import imread
    _require_file(path)
    array = imread(path, cv2.IMREAD_UNCHANGED)
    if array is None:
        raise DataFileError(f'cannot decode image file: {path} (empty, truncated or not an '
                            'image OpenCV reads)')
    if array.ndim == 2:
        array = array[..., None]
    elif array.shape[2] == 3:
        array = array[..., ::-1]
    elif array.shape[2] == 4:
        array = array[..., [2, 1, 0, 3]]
    grid = Georef(None, Affine.identity(), array.shape[0], array.shape[1])
    if rows is not None or cols is not None:
        rows, cols = rows or (0, grid.height), cols or (0, grid.width)
        array = array[rows[0]:rows[1], cols[0]:cols[1]]
        grid = grid.window(rows, cols)
    if bands is not None:
        array = array[..., [b - 1 for b in bands]]
    array = np.ascontiguousarray(array)
    driver = {'.jpg': 'JPEG', '.jpeg': 'JPEG', '.jpe': 'JPEG'}.get(
        osp.splitext(path)[1].lower(), osp.splitext(path)[1][1:].upper())
    profile = dict(driver=driver, dtype=array.dtype.name, nodata=None, width=grid.width,
                   height=grid.height, count=array.shape[2], crs=None,
                   transform=grid.transform)
    return array, profile


def read_raster(path, bands: Optional[Sequence[int]] = None,
                window: Optional[Tuple[Tuple[int, int], Tuple[int, int]]] = None,
                decoder: str = 'auto') -> Tuple[np.ndarray, dict]:
    """Read a raster (or a window of it) with its profile.

    Args:
        path (str | os.PathLike): The file.
        bands (Sequence[int], optional): 1-based bands to read (default: all).
        window (tuple, optional): ``((row_start, row_stop), (col_start, col_stop))``,
            half-open pixel ranges; default the whole raster.
        decoder (str): ``'auto'`` (OpenCV for :data:`OPENCV_SUFFIXES`, GDAL
            otherwise) or ``'gdal'`` (GDAL for every format).

    Returns:
        tuple: ``(array, profile)``: ``(H, W, C)`` C-contiguous array and the
        rasterio profile of the pixels read (``crs`` None and the identity
        transform, translated for a window, without georeference).

    Raises:
        DataFileNotFoundError: ``path`` does not exist.
        DataFileError: the file cannot be read or decoded.
    """
    if decoder not in ('auto', 'gdal'):
        raise ValueError(f"decoder must be 'auto' or 'gdal', got {decoder!r}")
    path = os.fspath(path)
    rows, cols = window if window is not None else (None, None)
    if decoder == 'auto' and path.lower().endswith(OPENCV_SUFFIXES):
        return _read_opencv(path, rows, cols, bands)
    with RasterFile(path) as raster:
        return raster.read(rows, cols, bands), raster.window_profile(rows, cols, bands)
