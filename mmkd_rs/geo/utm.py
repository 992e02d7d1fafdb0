"""UTM zones, metric CRSs and coordinate transforms.

Lengths, buffers and areas in metres are measured in a metric CRS: the data's
own CRS when it is projected in metres, else the WGS 84 / UTM zone of a
reference point (a tile's centre, a polygon's centroid). Zones follow the plain
6-degree grid (zone 1 starts at 180 W; the Norway and Svalbard exceptions are
not applied: any zone near the data is a conformal metric frame), north of the
equator for ``lat >= 0``.

Coordinates are transformed by PROJ as bundled with rasterio
(``rasterio.warp.transform``); pyproj is not needed.
"""
from typing import Sequence

import numpy as np
from rasterio.crs import CRS

from .crs import WGS84, is_wgs84

__all__ = ['utm_zone', 'utm_epsg', 'utm_crs', 'transform_xy', 'to_lonlat', 'metric_crs',
           'is_metric']


def utm_zone(lon: float) -> int:
    """UTM zone number (1..60) of longitude ``lon`` (degrees, any multiple of 360 off)."""
    return int((float(lon) + 180.0) // 6.0) % 60 + 1


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 / UTM zone of (``lon``, ``lat``): 326zz north, 327zz south."""
    return (32600 if lat >= 0 else 32700) + utm_zone(lon)


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS 84 / UTM zone CRS containing (``lon``, ``lat``) (degrees)."""
    return CRS.from_epsg(utm_epsg(lon, lat))


def transform_xy(src_crs, dst_crs, xy) -> np.ndarray:
    """``(K, 2)`` coordinates in ``src_crs`` -> ``(K, 2)`` float64 in ``dst_crs``.

    CRSs are rasterio CRSs or anything ``CRS.from_user_input`` reads; one PROJ call.
    """
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    if len(xy) == 0:
        return np.zeros((0, 2))
    from rasterio.warp import transform
    xs, ys = transform(src_crs, dst_crs, xy[:, 0].tolist(), xy[:, 1].tolist())
    return np.stack([np.asarray(xs), np.asarray(ys)], axis=1)


def to_lonlat(crs: CRS, xy) -> np.ndarray:
    """``(K, 2)`` coordinates in ``crs`` -> WGS 84 lon/lat (as they are when already)."""
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    return xy if is_wgs84(crs) else transform_xy(crs, WGS84, xy)


def is_metric(crs: CRS) -> bool:
    """Whether ``crs`` is projected with metre units."""
    return crs is not None and crs.is_projected and crs.linear_units_factor[1] == 1.0


def metric_crs(crs: CRS, point: Sequence[float]) -> CRS:
    """``crs`` when projected in metres, else the UTM zone of ``point`` (``(x, y)`` in ``crs``).

    Geographic CRSs and projections in feet (e.g. US State Plane) both get a UTM zone.
    """
    if is_metric(crs):
        return crs
    lon, lat = to_lonlat(crs, point)[0]
    return utm_crs(lon, lat)
