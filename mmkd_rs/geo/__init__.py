"""Geo I/O shared by the datasets, the evaluation loaders, the visualisers and the
inferencer: one raster reader, one georeference type, one GeoJSON CRS parser,
one UTM helper and one raster writer.

* :func:`read_raster` / :class:`RasterFile`: ``(H, W, C)`` pixels and the rasterio
  profile (CRS, transform, nodata), whole or by windows (:mod:`.raster`);
* :class:`Georef`: CRS + ``rasterio.Affine`` + grid size (:mod:`.georef`);
* :func:`geojson_crs` / :func:`read_feature_collection`: the ``crs`` member of
  GeoJSON, old and new (:mod:`.crs`);
* :func:`utm_crs`, :func:`metric_crs`, :func:`transform_xy`: UTM zones and PROJ
  transforms through rasterio (:mod:`.utm`);
* :func:`write_raster`, :class:`PredictionWriter`: GeoTIFFs on the input's grid,
  PNG for inputs without georeference (:mod:`.writer`).

Needs rasterio (and OpenCV for PNG / JPEG images), never torch.
"""
from .crs import WGS84, check_lonlat, geojson_crs, is_wgs84, parse_crs_name, \
    read_feature_collection
from .georef import Georef
from .raster import RasterFile, read_raster
from .utm import is_metric, metric_crs, to_lonlat, transform_xy, utm_crs, utm_epsg, utm_zone
from .writer import NODATA, PredictionWriter, write_raster

__all__ = [
    'WGS84', 'check_lonlat', 'geojson_crs', 'is_wgs84', 'parse_crs_name',
    'read_feature_collection', 'Georef', 'RasterFile', 'read_raster', 'is_metric',
    'metric_crs', 'to_lonlat', 'transform_xy', 'utm_crs', 'utm_epsg', 'utm_zone', 'NODATA',
    'PredictionWriter', 'write_raster'
]
