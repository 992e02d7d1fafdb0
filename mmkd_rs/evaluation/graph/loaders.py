"""Load a road graph in metres from a GeoJSON, a SpaceNet CSV or a mask raster.

The input kind follows the file extension: ``.geojson``/``.json`` (lines in
lon/lat or a named metric CRS), ``.csv`` (``ImageId,WKT_Pix``) or an image
(``.png``, ``.tif``, ``.tiff``, ``.jpg``: road mask, non-zero = road, passed
through :func:`~.skeleton_graph.mask_to_graph`). Pixel inputs are
georeferenced by their own GeoTIFF tags, else by ``georef`` (the
:class:`mmkd_rs.geo.Georef` of a reference GeoTIFF of the same tile), else
scaled by ``gsd`` metres / pixel. Masks are read by
:func:`mmkd_rs.geo.read_raster` with GDAL (band 1; a palette PNG gives its
indices).
"""
from pathlib import Path
from typing import Optional

from mmkd_rs.geo import Georef, read_raster
from .geo_io import (MetricFrame, default_frame, load_geojson_graph, load_wkt_csv_graph,
                     pixel_to_frame)

GEOJSON_EXT = ('.geojson', '.json')
CSV_EXT = ('.csv',)
MASK_EXT = ('.png', '.tif', '.tiff', '.jpg', '.jpeg')


def input_kind(path) -> str:
    ext = Path(path).suffix.lower()
    if ext in GEOJSON_EXT:
        return 'geojson'
    if ext in CSV_EXT:
        return 'csv'
    if ext in MASK_EXT:
        return 'mask'
    raise ValueError(f'{path}: unknown road graph input (expected GeoJSON {GEOJSON_EXT}, '
                     f'CSV {CSV_EXT} or mask {MASK_EXT})')


def _read_mask(path):
    """(H, W) array of band 1 and the raster's georeference (None without CRS)."""
    mask, profile = read_raster(path, bands=[1], decoder='gdal')
    georef = Georef.from_profile(profile) if profile['crs'] is not None else None
    return mask[..., 0], georef


def load_road_graph(path, image_id: Optional[str] = None,
                    georef: Optional[Georef] = None,
                    frame: Optional[MetricFrame] = None, gsd: Optional[float] = None,
                    mask_cfg: Optional[dict] = None):
    """Return (RoadGraph in metres, MetricFrame or None for gsd-scaled pixels)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f'{path}: no such file')
    kind = input_kind(path)
    if kind == 'geojson':
        return load_geojson_graph(path, frame=frame, georef=georef)
    if kind == 'csv':
        return load_wkt_csv_graph(path, image_id, georef=georef, frame=frame, gsd=gsd)
    from .skeleton_graph import mask_to_graph  # scipy.ndimage + scikit-image: masks only
    mask, own = _read_mask(path)
    ref = own or georef
    if ref is not None and tuple(ref.shape) != tuple(mask.shape):
        raise ValueError(f'{path}: mask is {mask.shape} but the reference raster is {ref.shape}')
    graph = mask_to_graph(mask > 0, **(mask_cfg or {}))
    if ref is not None:
        frame = frame or default_frame(ref)
        return graph.transformed(lambda xy: pixel_to_frame(ref, xy, frame)), frame
    if gsd is None:
        raise ValueError(f'{path}: mask without georeference needs --raster-ref or --gsd')
    return graph.scaled(float(gsd)), None


def common_frame(gt_path, raster_ref: Optional[Georef]) -> Optional[MetricFrame]:
    """The metric frame both graphs share: from the reference raster, else the GT."""
    if raster_ref is not None:
        return default_frame(raster_ref)
    if input_kind(gt_path) == 'geojson':
        return load_geojson_graph(gt_path)[1]
    if input_kind(gt_path) == 'mask':
        _, own = _read_mask(gt_path)
        return default_frame(own) if own is not None else None
    return None

