"""Read road graphs from GeoJSON, SpaceNet WKT_Pix CSV and rasters, in metres.

Every reader returns a :class:`~.road_graph.RoadGraph` in a metric frame:

* GeoJSON: the CRS comes from :func:`mmkd_rs.geo.geojson_crs` (WGS 84 lon/lat
  without ``crs`` member). Lon/lat on another datum (e.g. NAD83) is first
  reprojected to WGS 84 lon/lat, so that every lon/lat file is read alike.
  Lon/lat lines are projected to the UTM zone of their centre (or to
  ``frame``) with GDAL/PROJ through ``rasterio.warp.transform``; their edges
  keep great-circle lengths, as in the APLS reference (see
  :mod:`.road_graph`). Lines in a CRS projected in metres are used in that
  CRS (other projections, e.g. in feet, go to the UTM zone of their centre).
* SpaceNet CSV rows (``ImageId,WKT_Pix``) hold pixel coordinates (x = column,
  y = row, pixel-corner convention). They go through the GeoTIFF's affine
  transform (:class:`mmkd_rs.geo.Georef`) to its CRS and then to the same
  metric frame; without a GeoTIFF a ground sampling distance ``gsd``
  (metres / pixel) scales them instead.

Geometry that lies entirely outside the reference raster raises a
``ValueError``; lines partly outside are kept as they are.
"""
import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from mmkd_rs.geo import (WGS84, Georef, check_lonlat, is_wgs84, metric_crs,
                         read_feature_collection, transform_xy)
from .road_graph import RoadGraph, graph_from_polylines

#: Components shorter than this (metres) are dropped when reading graphs.
MIN_COMPONENT_LENGTH_M = 5.0


def _transform_lines(src_crs, dst_crs, lines: Sequence[np.ndarray]) -> List[np.ndarray]:
    """Many (K_i, 2) lines from ``src_crs`` to ``dst_crs`` at once (one PROJ call)."""
    if not lines:
        return []
    if src_crs == dst_crs:
        return [np.asarray(ln, np.float64) for ln in lines]
    flat = transform_xy(src_crs, dst_crs, np.concatenate(lines))
    return np.split(flat, np.cumsum([len(ln) for ln in lines])[:-1])


@dataclass
class MetricFrame:
    """Target metric CRS (e.g. ``'EPSG:32611'``) every graph is expressed in."""

    crs: str

    def lines_from_crs(self, src_crs, lines: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Project many (K_i, 2) lines at once (one PROJ call)."""
        return _transform_lines(src_crs, self.crs, lines)

    def from_crs(self, src_crs, xy: np.ndarray) -> np.ndarray:
        """(K, 2) coordinates in ``src_crs`` -> (K, 2) in this frame."""
        return transform_xy(src_crs, self.crs, xy)


def default_frame(georef: Georef) -> MetricFrame:
    """The raster's CRS when projected in metres, else the UTM zone of its centre."""
    return MetricFrame(georef.metric_crs().to_string())


def pixel_to_frame(georef: Georef, xy: np.ndarray, frame: MetricFrame) -> np.ndarray:
    """(K, 2) pixel coordinates of ``georef``'s raster -> (K, 2) in ``frame``."""
    native = georef.pixel_to_crs(xy)
    if frame.crs == georef.crs:
        return native
    return frame.from_crs(georef.crs, native)


def read_geojson_lines(path) -> tuple:
    """Return (list of (K, 2) lines, their CRS): WGS 84 lon/lat or the file's projected CRS.

    LineString and every part of a MultiLineString become lines; features with
    another or null geometry are skipped (roads are lines).
    """
    features, crs = read_feature_collection(path)
    lines = []
    for feat in features:
        geom = feat.get('geometry') or {}
        if geom.get('type') == 'LineString':
            parts = [geom['coordinates']]
        elif geom.get('type') == 'MultiLineString':
            parts = geom['coordinates']
        else:
            continue
        for part in parts:
            arr = np.asarray(part, np.float64).reshape(-1, np.shape(part)[-1] if part else 2)
            if len(arr) >= 2:
                lines.append(arr[:, :2])
    if lines:
        check_lonlat(np.concatenate(lines), crs, path)
    if crs.is_geographic and not is_wgs84(crs):   # lon/lat on another datum
        lines, crs = _transform_lines(crs, WGS84, lines), WGS84
    return lines, crs


def read_wkt_csv(path) -> Dict[str, List[np.ndarray]]:
    """SpaceNet ``ImageId,WKT_Pix`` CSV -> {image id: list of (K, 2) pixel lines}.

    ``LINESTRING EMPTY`` rows register the image with no lines.
    """
    import shapely.wkt
    path = Path(path)
    out: Dict[str, List[np.ndarray]] = {}
    with path.open(newline='') as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {'ImageId', 'WKT_Pix'} <= set(reader.fieldnames):
            raise ValueError(f'{path}: expected CSV columns ImageId,WKT_Pix; '
                             f'got {reader.fieldnames}')
        for row_no, row in enumerate(reader, start=2):
            lines = out.setdefault(row['ImageId'], [])
            try:
                geom = shapely.wkt.loads(row['WKT_Pix'])
            except Exception as err:  # shapely raises GEOSException
                raise ValueError(f'{path}:{row_no}: bad WKT {row["WKT_Pix"]!r}') from err
            parts = getattr(geom, 'geoms', [geom])
            for part in parts:
                if not part.is_empty:
                    lines.append(np.asarray(part.coords, np.float64)[:, :2])
    return out


def _check_inside(lines_crs: Sequence[np.ndarray], georef: Georef, path):
    if not lines_crs:
        return
    xmin, ymin, xmax, ymax = georef.bounds
    pad_x, pad_y = 0.05 * (xmax - xmin), 0.05 * (ymax - ymin)
    pts = np.concatenate(lines_crs)
    inside = ((pts[:, 0] >= xmin - pad_x) & (pts[:, 0] <= xmax + pad_x)
              & (pts[:, 1] >= ymin - pad_y) & (pts[:, 1] <= ymax + pad_y))
    if not inside.any():
        raise ValueError(f'{path}: no vertex lies inside the reference raster bounds '
                         f'{(xmin, ymin, xmax, ymax)} ({georef.crs}); wrong tile or CRS?')


def load_geojson_graph(path, frame: Optional[MetricFrame] = None,
                       georef: Optional[Georef] = None,
                       min_component_length: float = MIN_COMPONENT_LENGTH_M,
                       duplicate_segments: str = 'drop', great_circle_lengths: bool = True):
    """GeoJSON road lines -> (RoadGraph in metres, the MetricFrame used).

    Every LineString and every part of a MultiLineString is one input line of
    :func:`~.road_graph.graph_from_polylines`; ``duplicate_segments`` goes
    there too (default ``'drop'``: a segment present in several features is
    removed, as the APLS reference does). With ``great_circle_lengths`` (and
    a lon/lat file) edge lengths are the reference's great-circle lengths;
    ``False`` keeps the projected polyline lengths.
    """
    lines, crs = read_geojson_lines(path)
    if georef is not None and georef.crs == crs:
        _check_inside(lines, georef, path)
    if frame is None:
        if georef is not None:
            frame = default_frame(georef)
        else:
            allc = np.concatenate(lines) if lines else np.zeros((1, 2))
            lo, hi = allc.min(0), allc.max(0)
            centre = ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
            frame = MetricFrame(metric_crs(crs, centre).to_string())
    metric = frame.lines_from_crs(crs, lines)
    lonlat = lines if great_circle_lengths and is_wgs84(crs) else None
    return graph_from_polylines(metric, min_component_length=min_component_length,
                                duplicate_segments=duplicate_segments, lonlat=lonlat), frame


def pixel_lines_to_graph(lines: Sequence[np.ndarray], georef: Optional[Georef] = None,
                         frame: Optional[MetricFrame] = None, gsd: Optional[float] = None,
                         min_component_length: float = MIN_COMPONENT_LENGTH_M,
                         source='pixel lines', duplicate_segments: str = 'drop'):
    """Pixel-coordinate lines -> (RoadGraph in metres, frame or None).

    With ``georef`` (a :class:`mmkd_rs.geo.Georef` with a CRS) the lines go to
    ``frame`` (default: :func:`default_frame`); otherwise ``gsd`` (metres per
    pixel) scales them. Vertices merge on exactly equal pixel coordinates and
    no half-pixel shift is applied (pixel x, y go through the affine transform
    as they are), as in the APLS reference. ``duplicate_segments`` goes to
    :func:`~.road_graph.graph_from_polylines` (the reference aborts on a
    repeated segment in a WKT proposal; ``'drop'`` keeps the GeoJSON rule).
    """
    if georef is not None:
        frame = frame or default_frame(georef)
        native = [georef.pixel_to_crs(ln) for ln in lines]
        _check_inside(native, georef, source)
        metric = frame.lines_from_crs(georef.crs, native)
    elif gsd is not None:
        metric = [ln * float(gsd) for ln in lines]
    else:
        raise ValueError(f'{source}: pixel coordinates need a reference GeoTIFF '
                         '(raster_ref) or a ground sampling distance (gsd, m/pixel)')
    return graph_from_polylines(metric, min_component_length=min_component_length,
                                duplicate_segments=duplicate_segments), frame


def load_wkt_csv_graph(path, image_id: Optional[str] = None, **kwargs):
    """One image of a SpaceNet CSV -> (RoadGraph in metres, frame or None).

    ``image_id`` may be omitted when the CSV holds a single image. Keyword
    arguments go to :func:`pixel_lines_to_graph`.
    """
    table = read_wkt_csv(path)
    if image_id is None:
        if len(table) != 1:
            raise ValueError(f'{path}: holds {len(table)} images {sorted(table)[:5]}...; '
                             'pass image_id')
        image_id = next(iter(table))
    if image_id not in table:
        raise ValueError(f'{path}: no rows for ImageId {image_id!r} '
                         f'(has {sorted(table)[:5]}...)')
    return pixel_lines_to_graph(table[image_id], source=f'{path} [{image_id}]', **kwargs)


def graph_to_geojson(graph: RoadGraph, crs: str) -> dict:
    """RoadGraph -> GeoJSON FeatureCollection dict (one LineString per edge)."""
    feats = [{'type': 'Feature', 'properties': {'u': int(u), 'v': int(v)},
              'geometry': {'type': 'LineString', 'coordinates': p.tolist()}}
             for (u, v), p in zip(graph.edges.tolist(), graph.polylines)]
    return {'type': 'FeatureCollection', 'crs': {'type': 'name', 'properties': {'name': crs}},
            'features': feats}
