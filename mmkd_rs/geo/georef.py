"""The georeference of a raster: CRS, affine transform and pixel grid size."""
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
from rasterio import Affine
from rasterio.crs import CRS

from .utm import metric_crs

__all__ = ['Georef']


@dataclass(frozen=True)
class Georef:
    """Pixel grid of a raster.

    ``transform`` (``rasterio.Affine``) maps pixel corner coordinates ``(x = column,
    y = row)`` to ``crs`` coordinates: pixel ``(col, row)`` covers ``[col, col + 1) x
    [row, row + 1)`` and has its centre at ``(col + 0.5, row + 0.5)``. A raster
    without georeference has ``crs`` None and, as rasterio reports it, the identity
    transform.

    Attributes:
        crs (rasterio.crs.CRS | None): CRS of the transform's output.
        transform (rasterio.Affine): Pixel -> CRS transform.
        height, width (int): Grid size in pixels.
    """

    crs: Optional[CRS]
    transform: Affine
    height: int
    width: int

    @classmethod
    def from_profile(cls, profile) -> 'Georef':
        """From a rasterio profile (``crs``, ``transform``, ``height``, ``width``)."""
        return cls(profile.get('crs'), profile['transform'], int(profile['height']),
                   int(profile['width']))

    @classmethod
    def from_file(cls, path, require_crs: bool = False) -> 'Georef':
        """Georeference of the raster ``path`` (its pixels are not read).

        Raises:
            DataFileError: ``require_crs`` and the raster has no CRS.
        """
        from .raster import RasterFile
        with RasterFile(path) as raster:
            georef = raster.georef
        if require_crs and georef.crs is None:
            from mmkd_rs.utils.errors import DataFileError
            raise DataFileError(f'"{path}": raster has no CRS; cannot georeference')
        return georef

    def to_profile(self) -> dict:
        """``crs``, ``transform``, ``height`` and ``width`` as a rasterio profile dict."""
        return dict(crs=self.crs, transform=self.transform, height=self.height,
                    width=self.width)

    @property
    def shape(self) -> Tuple[int, int]:
        """``(height, width)`` in pixels."""
        return self.height, self.width

    @property
    def is_georeferenced(self) -> bool:
        """A CRS and a transform other than the identity."""
        return self.crs is not None and not self.transform.is_identity

    @property
    def is_geographic(self) -> bool:
        return self.crs is not None and self.crs.is_geographic

    @property
    def pixel_size(self) -> Tuple[float, float]:
        """Absolute pixel size ``(x, y)`` in CRS units (metres for UTM)."""
        return abs(self.transform.a), abs(self.transform.e)

    @property
    def bounds(self) -> Tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the grid's four corners in CRS units."""
        corners = self.pixel_to_crs(np.array([[0, 0], [self.width, 0], [0, self.height],
                                              [self.width, self.height]], np.float64))
        return (*corners.min(0).tolist(), *corners.max(0).tolist())

    @property
    def centre(self) -> Tuple[float, float]:
        """CRS coordinates of the grid's centre."""
        return tuple(self.pixel_to_crs(np.array([[self.width / 2.0, self.height / 2.0]]))[0])

    def pixel_to_crs(self, xy) -> np.ndarray:
        """``(K, 2)`` pixel ``(x, y)`` -> ``(K, 2)`` float64 CRS coordinates."""
        xy = np.asarray(xy, np.float64).reshape(-1, 2)
        xs, ys = self.transform @ (xy[:, 0], xy[:, 1])
        return np.stack([xs, ys], axis=1)

    def crs_to_pixel(self, xy) -> np.ndarray:
        """``(K, 2)`` CRS coordinates -> ``(K, 2)`` float64 pixel ``(x, y)``."""
        xy = np.asarray(xy, np.float64).reshape(-1, 2)
        cols, rows = ~self.transform @ (xy[:, 0], xy[:, 1])
        return np.stack([cols, rows], axis=1)

    def window(self, rows: Tuple[int, int], cols: Tuple[int, int]) -> 'Georef':
        """Georeference of pixels ``[rows[0]:rows[1], cols[0]:cols[1]]``."""
        # as rasterio.windows.transform computes it
        x, y = self.transform @ (cols[0], rows[0])
        transform = Affine.translation(x - self.transform.c, y - self.transform.f) @ \
            self.transform
        return Georef(self.crs, transform, rows[1] - rows[0], cols[1] - cols[0])

    def metric_crs(self) -> CRS:
        """The CRS when projected in metres, else the UTM zone of the grid's centre."""
        if self.crs is None:
            raise ValueError('a grid without CRS has no metric CRS')
        return metric_crs(self.crs, self.centre)
