"""Rasterise each building GeoJSON once: a bounded in-memory cache of label masks.

Reading, reprojecting and burning a tile's footprints
(:func:`~.geo_io.rasterize_footprints`) is the slowest step of loading a
SpaceNet 6 sample and gives the same mask at every epoch. A
:class:`FootprintCache` keeps the masks of the tiles it has seen, keyed by
everything the mask depends on: the file (absolute path, modification time
in ns and size, so an edited file is rasterised again), the grid (size,
affine transform, CRS), ``min_area_m2`` and ``burn_value``. Masks are stored
as packed bits (one bit per pixel: a 900 x 900 tile takes 101 kB) and the
least recently used ones are dropped beyond ``max_mb``. Each data loader
worker holds its own cache (with ``persistent_workers=True`` it lives
across epochs).
"""
import os
from collections import OrderedDict
from typing import Tuple

import numpy as np

from mmkd_rs.geo import Georef
from .geo_io import rasterize_footprints


class FootprintCache:
    """Least-recently-used rasterised footprint masks, at most ``max_mb`` MiB."""

    def __init__(self, max_mb: float = 512.0):
        if max_mb < 0:
            raise ValueError(f'FootprintCache: max_mb must be >= 0, got {max_mb}')
        self.max_bytes = int(max_mb * 2 ** 20)
        self._masks: 'OrderedDict[tuple, Tuple[np.ndarray, int]]' = OrderedDict()
        self.nbytes = 0
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._masks)

    @staticmethod
    def key(geojson_path: str, grid: Georef, min_area_m2: float, burn_value: int) -> tuple:
        stat = os.stat(geojson_path)
        crs = grid.crs.to_wkt() if grid.crs is not None else None
        return (os.path.abspath(geojson_path), stat.st_mtime_ns, stat.st_size, grid.height,
                grid.width, tuple(grid.transform), crs, float(min_area_m2), int(burn_value))

    def rasterize(self, geojson_path: str, grid: Georef, min_area_m2: float = 20.0,
                  burn_value: int = 1) -> np.ndarray:
        """:func:`~.geo_io.rasterize_footprints`, from the cache when seen before.

        Returns a new uint8 ``(H, W)`` array every call.
        """
        if self.max_bytes == 0:
            self.misses += 1
            return rasterize_footprints(geojson_path, grid, min_area_m2, burn_value)
        key = self.key(geojson_path, grid, min_area_m2, burn_value)
        if key in self._masks:
            self.hits += 1
            self._masks.move_to_end(key)
            packed, value = self._masks[key]
            bits = np.unpackbits(packed, count=grid.height * grid.width)
            return (bits.reshape(grid.height, grid.width) * np.uint8(value)).astype(np.uint8)
        self.misses += 1
        mask = rasterize_footprints(geojson_path, grid, min_area_m2, burn_value)
        packed = np.packbits(mask != 0)
        self._masks[key] = (packed, burn_value)
        self.nbytes += packed.nbytes
        while self.nbytes > self.max_bytes and self._masks:
            old, _ = self._masks.popitem(last=False)[1]
            self.nbytes -= old.nbytes
        return mask
