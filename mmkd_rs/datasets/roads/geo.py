"""Georeferenced road inputs: GeoTIFF imagery and GeoJSON centrelines (SpaceNet 3 style).

* :func:`read_geotiff_rgb` reads an 8- or 16-bit RGB / RGBA / PAN GeoTIFF into an
  ``(H, W, 3)`` uint8 array, percentile-stretching inputs wider than 8 bit.
* :func:`read_road_lines` reads a GeoJSON FeatureCollection of (Multi)LineStrings.
* :func:`rasterise_road_mask` buffers the centrelines by a width in *metres* in the
  local UTM zone and burns them onto the tile grid.
* :func:`lines_to_pixels` maps the centrelines to pixel coordinates of the tile.

Rasters, CRSs and UTM zones come from :mod:`mmkd_rs.geo`; a tile's grid is
given as a rasterio profile (``transform``, ``crs``, ``height``, ``width``).

Behaviour on unusual input (documented and tested):
    * the GeoJSON CRS is read by :func:`mmkd_rs.geo.geojson_crs`: without ``crs``
      member WGS 84 lon/lat (RFC 7946); any other named CRS (projected, or
      lon/lat on another datum) is reprojected; coordinates outside lon/lat range
      in a lon/lat file raise :class:`ValueError` (typical for projected
      coordinates written without a ``crs`` member);
    * lines partly outside the tile are clipped by rasterisation; a file whose lines
      all miss the tile raises :class:`ValueError`;
    * an empty FeatureCollection is a valid tile without road.
"""
import numpy as np
from rasterio.crs import CRS
from rasterio.features import rasterize
from rasterio.warp import transform_geom
from shapely.geometry import LineString, box, mapping, shape as to_shape
from shapely.ops import unary_union

from mmkd_rs.geo import Georef, check_lonlat, read_feature_collection, read_raster
from mmkd_rs.utils.errors import DataFileError


def percentile_stretch(image, low=2.0, high=98.0, nodata=0):
    """Stretch each band of ``(H, W, C)`` ``image`` linearly so its ``low``/``high``
    percentiles (of valid pixels, i.e. not ``nodata``) map to 0/255; uint8 out."""
    out = np.zeros(image.shape, dtype=np.uint8)
    for c in range(image.shape[2]):
        band = image[..., c].astype(np.float64)
        valid = band != nodata if nodata is not None else np.ones(band.shape, bool)
        if not valid.any():
            continue
        lo, hi = np.percentile(band[valid], [low, high])
        scaled = (band - lo) / max(hi - lo, 1e-6) * 255.0
        out[..., c] = np.clip(scaled, 0, 255).astype(np.uint8)
    return out


def read_geotiff_rgb(path, bands=None, low=2.0, high=98.0):
    """Read a GeoTIFF as ``(H, W, 3)`` uint8 plus its grid.

    Args:
        path (str): GeoTIFF path.
        bands (list[int], optional): 1-based bands to read; default the first three
            (an alpha 4th band is dropped); a single-band (PAN) image is repeated to
            three channels.
        low, high (float): stretch percentiles for inputs wider than 8 bit.

    Returns:
        tuple: ``(image, profile)``: the image and the rasterio profile of the file
        (``transform``, ``crs``, ``height``, ``width``, ...).
    """
    image, profile = read_raster(path, decoder='gdal')
    count = image.shape[2]
    if bands is None:
        bands = [1, 2, 3] if count >= 3 else [1]
    if max(bands) > count:
        raise DataFileError(f'"{path}" has {count} band(s), cannot read bands {bands}')
    image = image[..., [b - 1 for b in bands]]
    if image.dtype != np.uint8:
        image = percentile_stretch(image, low, high)
    if image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    if profile['crs'] is None:
        raise DataFileError(f'"{path}" has no CRS: cannot place geographic road labels on '
                            'it')
    return image, profile


def read_road_lines(path):
    """Read road centrelines from GeoJSON.

    Returns:
        tuple: ``(lines, properties, crs)``: list of shapely LineStrings (a
        MultiLineString gives one per part), the feature properties per line, and
        the CRS of the coordinates (:func:`mmkd_rs.geo.geojson_crs`).
    """
    features, crs = read_feature_collection(path)
    lines, props = [], []
    for i, feat in enumerate(features):
        geom = feat.get('geometry')
        if geom is None:
            continue  # SpaceNet writes null geometries for tiles without road
        geom = to_shape(geom)
        if geom.geom_type == 'LineString':
            parts = [geom]
        elif geom.geom_type == 'MultiLineString':
            parts = list(geom.geoms)
        else:
            raise DataFileError(f'"{path}" feature {i}: expected LineString or '
                                f'MultiLineString, got {geom.geom_type}')
        for part in parts:
            if len(part.coords) >= 2:
                lines.append(part)
                props.append(feat.get('properties') or {})
    if lines:
        check_lonlat(np.concatenate([np.asarray(ln.coords)[:, :2] for ln in lines]), crs, path)
    return lines, props, crs


def _reproject(line, src_crs, dst_crs):
    if CRS.from_user_input(src_crs) == CRS.from_user_input(dst_crs):
        return line
    return to_shape(transform_geom(src_crs, dst_crs, mapping(line)))


def metric_crs(profile):
    """The raster CRS if projected in metres, otherwise the UTM zone of the tile centre."""
    return Georef.from_profile(profile).metric_crs()


def ground_sample_distance(profile):
    """Mean pixel size of the tile in metres."""
    t, h, w = profile['transform'], profile['height'], profile['width']
    diag = LineString([t @ (0, 0), t @ (w, h)])
    diag_m = _reproject(diag, profile['crs'], metric_crs(profile)).length
    return diag_m / np.hypot(w, h)


def check_overlap(lines, src_crs, profile, path='<lines>'):
    """Raise ``ValueError`` when no line touches the tile footprint."""
    if not lines:
        return
    tile = box(*Georef.from_profile(profile).bounds)
    merged = _reproject(unary_union(lines), src_crs, profile['crs'])
    if not merged.intersects(tile):
        raise DataFileError(
            f'"{path}": no road line overlaps the tile (lines span {merged.bounds}, tile '
            f'spans {tile.bounds} in {profile["crs"]}); wrong image/label pairing or CRS?')


def lines_to_pixels(lines, src_crs, profile):
    """Centrelines as ``(N, 2)`` float arrays of (x, y) pixel coordinates of the tile."""
    grid = Georef.from_profile(profile)
    return [grid.crs_to_pixel(np.asarray(_reproject(line, src_crs, grid.crs).coords)[:, :2])
            for line in lines]


def rasterise_road_mask(lines, src_crs, profile, width_m=None, props=None,
                        lane_width_m=None, min_width_m=2.0):
    """Road mask (uint8 0/1) of the tile from centrelines buffered in metres.

    Each line is buffered by half its width in the metric CRS of the tile (local
    UTM zone for lon/lat rasters), reprojected to the raster CRS and burnt in
    (pixel centres inside the polygon).

    Args:
        width_m (float, optional): road width in metres for every line.
        props (list[dict], optional): per-line properties for ``lane_width_m``.
        lane_width_m (float, optional): width = ``lane_number`` x this (SpaceNet
            property; ``min_width_m`` when absent). Used when ``width_m`` is None.
    """
    shape = (profile['height'], profile['width'])
    if not lines:
        return np.zeros(shape, dtype=np.uint8)
    if width_m is None and lane_width_m is None:
        raise ValueError('give width_m (metres) or lane_width_m')
    metric = metric_crs(profile)
    polygons = []
    for i, line in enumerate(lines):
        width = width_m
        if width is None:
            lanes = (props[i] if props else {}).get('lane_number')
            try:
                width = max(float(lanes) * lane_width_m, min_width_m)
            except (TypeError, ValueError):
                width = min_width_m
        poly = _reproject(line, src_crs, metric).buffer(width / 2.0)
        polygons.append(mapping(_reproject(poly, metric, profile['crs'])))
    return rasterize([(p, 1) for p in polygons], out_shape=shape,
                     transform=profile['transform'], fill=0, dtype=np.uint8)
