"""Geo-referenced raster I/O for paired SAR / EO tiles.

Every reader here checks what it reads and raises a ``ValueError`` that
names the file and what was expected: band counts, matching footprints of
the two modalities, tiles without a single valid SAR pixel.

Conventions
-----------
* Arrays are returned channels-last, ``(H, W, C)``, in the file's dtype
  (SAR float32 keeps its NaN).
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
import json
import os.path as osp
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import numpy as np
import rasterio
from rasterio.crs import CRS
from rasterio.features import rasterize
from rasterio.warp import transform_geom
from shapely.geometry import shape

from mmkd_rs.utils.errors import UserError
from mmkd_rs.utils.image_io import raster_errors, unreadable_message


class SARDataError(UserError, ValueError):
    """Paired SAR / EO input that cannot be used as it is (bands, grids,
    nodata, names); the message names the file and what was expected."""


class SARFileNotFoundError(UserError, FileNotFoundError):
    """A file of a paired SAR / EO sample is missing."""


@dataclass
class GeoGrid:
    """Pixel grid of a raster: CRS, affine transform and size ``(H, W)``."""
    crs: Optional[CRS]
    transform: rasterio.Affine
    height: int
    width: int

    @property
    def pixel_size(self) -> Tuple[float, float]:
        """Absolute pixel size ``(x, y)`` in CRS units (metres for UTM)."""
        return abs(self.transform.a), abs(self.transform.e)

    @property
    def bounds(self) -> Tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in CRS units."""
        return _bounds(self)


def _bounds(grid: GeoGrid) -> Tuple[float, float, float, float]:
    west, south, east, north = rasterio.transform.array_bounds(
        grid.height, grid.width, grid.transform)
    return west, south, east, north


def read_raster(path: str,
                expected_bands: Optional[int] = None) -> Tuple[np.ndarray,
                                                              GeoGrid,
                                                              Optional[float]]:
    """Read a GeoTIFF as ``(H, W, C)`` plus its grid and declared nodata.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the band count differs from ``expected_bands``, the file
            cannot be read (empty, truncated) or holds complex values.
    """
    if not osp.isfile(path):
        raise SARFileNotFoundError(f'Raster not found: {path}')
    try:
        with rasterio.open(path) as src:
            if expected_bands is not None and src.count != expected_bands:
                raise SARDataError(
                    f'{path}: expected {expected_bands} band(s), found '
                    f'{src.count}. Check the band order / modality settings '
                    '(sar_bands / eo_bands) of the loading transform.')
            array = src.read()
            grid = GeoGrid(src.crs, src.transform, src.height, src.width)
            nodata = src.nodata
    except raster_errors() as err:
        raise SARDataError(unreadable_message(path, err)) from None
    except UnicodeEncodeError:
        raise SARDataError(f'{path!r}: the file name is not valid UTF-8, which GDAL '
                           'needs to open it; rename the file.') from None
    if np.iscomplexobj(array):
        raise SARDataError(complex_sar_message(path, array.dtype))
    return np.ascontiguousarray(array.transpose(1, 2, 0)), grid, nodata


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


def check_same_footprint(path_a: str, grid_a: GeoGrid, path_b: str,
                         grid_b: GeoGrid, tol_px: float = 0.5) -> None:
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
    offsets = np.abs(np.subtract(_bounds(grid_a), _bounds(grid_b)))
    if offsets.max() > tol:
        raise SARDataError(
            f'Footprint mismatch: {path_a} bounds {_bounds(grid_a)} vs '
            f'{path_b} bounds {_bounds(grid_b)} differ by up to '
            f'{offsets.max():.3f} CRS units (> {tol:.3f} = {tol_px} px).')


def read_geojson(path: str) -> Tuple[list, CRS]:
    """Read the geometries of a GeoJSON FeatureCollection and its CRS.

    A missing ``crs`` member means EPSG:4326 (RFC 7946).
    """
    with open(path) as f:
        try:
            collection = json.load(f)
        except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
            raise SARDataError(f'{path}: not valid JSON ({err}); expected a GeoJSON '
                               'FeatureCollection (empty or truncated file?).') from None
    kind = collection.get('type') if isinstance(collection, dict) else \
        type(collection).__name__
    if kind != 'FeatureCollection':
        raise SARDataError(f'{path}: expected a GeoJSON FeatureCollection, got '
                         f'type={kind!r}.')
    crs_name = (collection.get('crs') or {}).get('properties', {}).get(
        'name', 'EPSG:4326')
    geoms = [feat['geometry'] for feat in collection['features']
             if feat.get('geometry')]
    return geoms, CRS.from_user_input(_normalise_crs_name(crs_name))


def _normalise_crs_name(name: str) -> str:
    # 'urn:ogc:def:crs:EPSG::32616' -> 'EPSG:32616'; OGC CRS84 -> EPSG:4326.
    if 'CRS84' in name:
        return 'EPSG:4326'
    if name.startswith('urn:ogc:def:crs:EPSG:'):
        return 'EPSG:' + name.rsplit(':', 1)[-1]
    return name


def _metric_crs(geom: Dict, crs: CRS) -> CRS:
    """A metric CRS for area: ``crs`` itself if projected, else local UTM."""
    if crs.is_projected:
        return crs
    lon, lat = shape(geom).centroid.coords[0]
    zone = int((lon + 180) // 6) + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def rasterize_footprints(geojson_path: str, grid: GeoGrid,
                         min_area_m2: float = 20.0,
                         burn_value: int = 1) -> np.ndarray:
    """Rasterise building polygons onto ``grid`` as a uint8 ``(H, W)`` mask.

    Polygons are reprojected to the grid's CRS; those with an area below
    ``min_area_m2`` square metres (measured in a metric CRS: the grid's if
    projected, else the local UTM zone) are dropped. A pixel is burned when
    its centre falls inside a polygon.
    """
    if grid.crs is None:
        raise SARDataError(f'Cannot rasterise {geojson_path}: the reference '
                         'raster has no CRS.')
    geoms, crs = read_geojson(geojson_path)
    shapes = []
    for geom in geoms:
        metric = _metric_crs(geom, crs)
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
