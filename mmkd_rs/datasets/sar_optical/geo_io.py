"""Checks and labels of paired SAR / EO tiles on top of :mod:`mmkd_rs.geo`.

Rasters are read by :func:`mmkd_rs.geo.read_raster` and their grids are
:class:`mmkd_rs.geo.Georef`; the checks here raise a ``ValueError`` that
names the file and what was expected: band counts, complex (SLC) pixels,
matching footprints of the two modalities, tiles without a single valid SAR
pixel. Building footprints are rasterised from GeoJSON onto a tile's grid.

Conventions
-----------
* Arrays are channels-last, ``(H, W, C)``, in the file's dtype (SAR
  float32 keeps its NaN).
* *Nodata* of a SAR tile is a boolean ``(H, W)`` mask, True where any band
  is NaN or where all bands equal the file's declared nodata value (real
  SpaceNet 6 challenge tiles declare 0, the solaris derived sample uses NaN).
* *Orientation flip*: SpaceNet 6 ``SummaryData/SAR_orientations.txt`` says
  for each acquisition strip whether it was imaged from the north (0) or
  from the south (1). Tiles of strips with orientation 1 are rotated by 180
  degrees (flipped along BOTH axes, rows and columns), the same for SAR,
  EO and label, so that layover and radar shadow point the same way in
  every training tile (layover towards the top of the image). A pure
  left-right or up-down flip would mirror the scene instead of turning it;
  the 180 degree turn is what the SpaceNet 6 baseline applies.
"""
import os.path as osp
from typing import Dict, Optional

import numpy as np
import shapely
from rasterio.features import rasterize
from rasterio.warp import transform_geom
from shapely.geometry import shape

from mmkd_rs.geo import Georef, check_lonlat, is_metric, metric_crs, read_feature_collection
from mmkd_rs.utils.errors import UserError


class SARDataError(UserError, ValueError):
    """Paired SAR / EO input that cannot be used as it is (bands, grids,
    nodata, names); the message names the file and what was expected."""


class SARFileNotFoundError(UserError, FileNotFoundError):
    """A file of a paired SAR / EO sample is missing."""


def check_modality_raster(path: str, array: np.ndarray,
                          expected_bands: Optional[int] = None) -> None:
    """Check a SAR / EO raster read by :func:`mmkd_rs.geo.read_raster`.

    Raises:
        SARDataError: the band count of the ``(H, W, C)`` ``array`` differs from
            ``expected_bands``, or its pixels are complex (SLC).
    """
    if expected_bands is not None and array.shape[2] != expected_bands:
        raise SARDataError(
            f'{path}: expected {expected_bands} band(s), found {array.shape[2]}. Check '
            'the band order / modality settings (sar_bands / eo_bands) of the loading '
            'transform.')
    if np.iscomplexobj(array):
        raise SARDataError(complex_sar_message(path, array.dtype))


def complex_sar_message(path: str, dtype) -> str:
    """Why a complex-valued (SLC) raster is refused, and how to convert it."""
    return (f'{path}: complex-valued pixels ({dtype}), i.e. a single-look complex (SLC) '
            'product. The SAR loaders expect detected intensity, one real band per '
            'polarisation (SpaceNet 6 SAR-Intensity, Sentinel-1 GRD), in dB '
            "(SARToDecibel(input_unit='db')) or linear power (input_unit='linear'); "
            'casting complex values to real keeps only the real part. Convert it first: '
            'intensity = |z|^2 per band (numpy: np.abs(z) ** 2), ideally calibrated and '
            'multilooked (e.g. with ESA SNAP), then 10 * log10 for dB.')


def sar_nodata_mask(sar: np.ndarray,
                    declared_nodata: Optional[float] = None) -> np.ndarray:
    """Boolean ``(H, W)`` mask of SAR pixels without a valid measurement.

    A pixel is nodata when any band is NaN, or when every band equals the
    declared nodata value (if the file declares one that is not NaN).
    """
    # band by band: a reduction over the short last axis of (H, W, C) is several
    # times slower than C element-wise passes over strided (H, W) views
    bands = [sar[..., k] for k in range(sar.shape[2])]
    mask = np.isnan(bands[0])
    for band in bands[1:]:
        mask |= np.isnan(band)
    if declared_nodata is not None and not np.isnan(declared_nodata):
        equal = bands[0] == declared_nodata
        for band in bands[1:]:
            equal &= band == declared_nodata
        mask |= equal
    return mask


def check_same_footprint(path_a: str, grid_a: Georef, path_b: str,
                         grid_b: Georef, tol_px: float = 0.5) -> None:
    """Check that two rasters cover the same ground with the same size.

    ``tol_px`` is the allowed corner offset in pixels of ``grid_a`` (real
    SpaceNet 6 SAR / PS-RGB pairs differ by a few centimetres).

    Raises:
        ValueError: sizes, CRSs or footprints differ.
    """
    if (grid_a.height, grid_a.width) != (grid_b.height, grid_b.width):
        raise SARDataError(
            f'Size mismatch: {path_a} is {grid_a.height}x{grid_a.width} but '
            f'{path_b} is {grid_b.height}x{grid_b.width} (H x W); paired '
            'modalities must share the pixel grid.')
    if grid_a.crs is not None and grid_b.crs is not None \
            and grid_a.crs != grid_b.crs:
        raise SARDataError(f'CRS mismatch: {path_a} is {grid_a.crs}, {path_b} '
                         f'is {grid_b.crs}.')
    tol = tol_px * max(grid_a.pixel_size)
    offsets = np.abs(np.subtract(grid_a.bounds, grid_b.bounds))
    if offsets.max() > tol:
        raise SARDataError(
            f'Footprint mismatch: {path_a} bounds {grid_a.bounds} vs '
            f'{path_b} bounds {grid_b.bounds} differ by up to '
            f'{offsets.max():.3f} CRS units (> {tol:.3f} = {tol_px} px).')


def rasterize_footprints(geojson_path: str, grid: Georef,
                         min_area_m2: float = 20.0,
                         burn_value: int = 1) -> np.ndarray:
    """Rasterise building polygons onto ``grid`` as a uint8 ``(H, W)`` mask.

    The GeoJSON's CRS comes from :func:`mmkd_rs.geo.geojson_crs` (WGS 84
    without ``crs`` member). Polygons are reprojected to the grid's CRS; those
    with an area below ``min_area_m2`` square metres (measured in a metric
    CRS: the GeoJSON's if projected in metres, else the UTM zone of the
    polygon's centroid) are dropped. A pixel is burned when its centre falls
    inside a polygon.
    """
    if grid.crs is None:
        raise SARDataError(f'Cannot rasterise {geojson_path}: the reference '
                         'raster has no CRS.')
    features, crs = read_feature_collection(geojson_path)
    geoms = [feat['geometry'] for feat in features if feat.get('geometry')]
    if crs.is_geographic:
        check_lonlat(shapely.get_coordinates([shape(g) for g in geoms]), crs, geojson_path)
    shapes = []
    for geom in geoms:
        metric = crs if is_metric(crs) else metric_crs(crs, shape(geom).centroid.coords[0])
        area = shape(transform_geom(crs, metric, geom)).area \
            if metric != crs else shape(geom).area
        if area < min_area_m2:
            continue
        shapes.append((transform_geom(crs, grid.crs, geom)
                       if crs != grid.crs else geom, burn_value))
    if not shapes:
        return np.zeros((grid.height, grid.width), np.uint8)
    return rasterize(shapes, out_shape=(grid.height, grid.width),
                     transform=grid.transform, fill=0, dtype='uint8')


def read_orientations(path: str) -> Dict[str, int]:
    """Parse ``SAR_orientations.txt``: ``<strip> <0|1>`` per line.

    Returns:
        dict: strip name (``'<start>_<end>'`` timestamps) -> orientation.
    """
    orientations = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2 or parts[1] not in ('0', '1'):
                raise SARDataError(f'{path}:{lineno}: expected "<strip> 0|1", '
                                 f'got {line.strip()!r}.')
            orientations[parts[0]] = int(parts[1])
    return orientations


def strip_of_tile(filename: str) -> str:
    """Strip name of a SpaceNet 6 tile file name.

    ``SN6_Train_AOI_11_Rotterdam_SAR-Intensity_20190822070610_20190822070846
    _tile_3721.tif`` -> ``'20190822070610_20190822070846'``.
    """
    stem = osp.splitext(osp.basename(filename))[0].split('_')
    if len(stem) < 4 or stem[-2] != 'tile':
        raise SARDataError(f'{filename}: not a SpaceNet 6 tile name '
                         '(..._<start>_<end>_tile_<n>.tif).')
    return '_'.join(stem[-4:-2])


def tile_id(filename: str) -> str:
    """``'<start>_<end>_tile_<n>'``: the part shared by SAR, EO and label."""
    stem = osp.splitext(osp.basename(filename))[0].split('_')
    return '_'.join(stem[-4:])
