"""Coordinate reference systems of GeoJSON files: the ``crs`` member and lon/lat checks.

:func:`geojson_crs` reads the ``crs`` member of a FeatureCollection:

* absent or ``null`` (RFC 7946): WGS 84 lon/lat;
* ``{"type": "name", "properties": {"name": NAME}}`` (GeoJSON 2008), NAME being
  OGC CRS84 (``urn:ogc:def:crs:OGC:1.3:CRS84``, ``OGC:CRS84``, ``CRS84``), an EPSG
  URN or URI (``urn:ogc:def:crs:EPSG::32616``, ``urn:ogc:def:crs:EPSG:6.6:32616``,
  ``http://www.opengis.net/def/crs/EPSG/0/32616``) or anything rasterio's
  ``CRS.from_user_input`` reads (``EPSG:32616``, WKT, PROJ strings).

Every spelling of WGS 84 lon/lat gives :data:`WGS84` (``EPSG:4326``; rasterio keeps
the lon, lat axis order GeoJSON writers use). A geographic CRS on another datum
(``EPSG:4269`` NAD83, ``EPSG:4277`` OSGB 36, ...) is returned as it is: its
coordinates are lon/lat on that datum, and readers reproject them with PROJ (the
datum shift reaches hundreds of metres) instead of reading them as WGS 84 or
refusing them. A ``link`` CRS or a name PROJ does not know raises
:class:`~mmkd_rs.utils.errors.DataFileError` naming the file.
"""
import json
import re
from typing import List, Tuple

import numpy as np
from rasterio.crs import CRS
from rasterio.errors import CRSError

from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError

__all__ = ['WGS84', 'geojson_crs', 'is_wgs84', 'check_lonlat', 'parse_crs_name',
           'read_feature_collection']

#: WGS 84 lon/lat, the CRS of GeoJSON without ``crs`` member.
WGS84 = CRS.from_epsg(4326)
_CRS84 = CRS.from_user_input('OGC:CRS84')
_CRS84_NAME = re.compile(r'^(urn:ogc:def:crs:ogc:[\d.]*:|https?://www\.opengis\.net/def/crs/'
                         r'ogc/[\d.]+/|ogc:)?crs84$', re.IGNORECASE)
_EPSG_NAME = re.compile(r'^(urn:ogc:def:crs:epsg:[\d.]*:|https?://www\.opengis\.net/def/crs/'
                        r'epsg/[^/]+/)(\d+)$', re.IGNORECASE)


def is_wgs84(crs: CRS) -> bool:
    """Whether ``crs`` is WGS 84 lon/lat (EPSG:4326 or OGC CRS84)."""
    return crs is not None and (crs == WGS84 or crs == _CRS84)


def parse_crs_name(name: str) -> CRS:
    """CRS of a GeoJSON ``crs`` name; WGS 84 lon/lat spellings give :data:`WGS84`.

    Raises:
        rasterio.errors.CRSError: PROJ does not know ``name``.
    """
    name = str(name).strip()
    if _CRS84_NAME.match(name):
        return WGS84
    epsg = _EPSG_NAME.match(name)
    crs = CRS.from_epsg(int(epsg.group(2))) if epsg else CRS.from_user_input(name)
    return WGS84 if is_wgs84(crs) else crs


def geojson_crs(collection: dict, path='<GeoJSON>') -> CRS:
    """CRS of a GeoJSON object from its ``crs`` member (see the module docstring)."""
    member = collection.get('crs')
    if member is None:
        return WGS84
    name = (member.get('properties') or {}).get('name') if isinstance(member, dict) else None
    if not isinstance(name, str):
        raise DataFileError(
            f'"{path}": unreadable "crs" member {member!r}; expected a named CRS, '
            '{"type": "name", "properties": {"name": "EPSG:32611"}}, or no "crs" member '
            'for WGS 84 lon/lat')
    try:
        return parse_crs_name(name)
    except CRSError as err:
        raise DataFileError(f'"{path}": unknown GeoJSON crs {name!r} ({err}); expected e.g. '
                            '"urn:ogc:def:crs:OGC:1.3:CRS84" or "EPSG:32611"') from None


def check_lonlat(xy: np.ndarray, crs: CRS, path='<GeoJSON>') -> None:
    """Raise when ``crs`` is geographic but the ``(K, 2)`` coordinates ``xy`` are not
    lon/lat (|x| > 180 or |y| > 90): projected coordinates without ``crs`` member."""
    if not crs.is_geographic or len(xy) == 0:
        return
    x0, y0 = np.min(xy, axis=0)
    x1, y1 = np.max(xy, axis=0)
    if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
        raise DataFileError(
            f'"{path}" declares (or defaults to) lon/lat coordinates ({crs}) but they span '
            f'x {x0:.1f}..{x1:.1f}, y {y0:.1f}..{y1:.1f}, so they are not lon/lat: '
            'projected coordinates need a "crs" member naming their CRS')


def read_feature_collection(path) -> Tuple[List[dict], CRS]:
    """Features of a GeoJSON FeatureCollection file and the CRS of its coordinates.

    Raises:
        DataFileNotFoundError: ``path`` does not exist.
        DataFileError: the file is not JSON, not a FeatureCollection with a
            ``features`` list, or names an unknown CRS.
    """
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except FileNotFoundError:
        raise DataFileNotFoundError(f'GeoJSON file not found: {path}') from None
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        raise DataFileError(f'"{path}" is not valid JSON ({err}); expected a GeoJSON '
                            'FeatureCollection (empty or truncated file?)') from None
    kind = data.get('type') if isinstance(data, dict) else type(data).__name__
    if kind != 'FeatureCollection' or not isinstance(data.get('features'), list):
        raise DataFileError(f'"{path}": expected a GeoJSON FeatureCollection with a '
                            f'"features" list, got type {kind!r}')
    return data['features'], geojson_crs(data, path)
