"""Read road graphs from GeoJSON, SpaceNet WKT_Pix CSV and rasters, in metres.

Every reader returns a :class:`~.road_graph.RoadGraph` in a metric frame:

* GeoJSON in lon/lat (CRS84 / EPSG:4326, the GeoJSON default) is projected to
  the UTM zone of its centre (or of ``frame``) with GDAL/PROJ through
  ``rasterio.warp.transform``; its edges keep great-circle lengths, as in the
  APLS reference (see :mod:`.road_graph`). A GeoJSON in a projected CRS named
  by its ``crs`` member is used in that CRS when it is metric.
* SpaceNet CSV rows (``ImageId,WKT_Pix``) hold pixel coordinates (x = column,
  y = row, pixel-corner convention). They go through the GeoTIFF's affine
  transform to its CRS and then to the same UTM frame; without a GeoTIFF a
  ground sampling distance ``gsd`` (metres / pixel) scales them instead.

Geometry that lies entirely outside the reference raster raises a
``ValueError``; lines partly outside are kept as they are.
"""
import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from .road_graph import RoadGraph, graph_from_polylines

#: Components shorter than this (metres) are dropped when reading graphs.
MIN_COMPONENT_LENGTH_M = 5.0

_LONLAT_NAMES = ('urn:ogc:def:crs:ogc:1.3:crs84', 'urn:ogc:def:crs:epsg::4326',
                 'epsg:4326', 'crs84', 'wgs84')


@dataclass
class MetricFrame:
    """Target metric CRS (e.g. ``'EPSG:32611'``) every graph is expressed in."""

    crs: str

    @classmethod
    def utm_for(cls, lon: float, lat: float) -> 'MetricFrame':
        zone = int(math.floor((lon + 180.0) / 6.0)) % 60 + 1
        return cls(f'EPSG:{32600 + zone if lat >= 0 else 32700 + zone}')

    def lines_from_crs(self, src_crs: str, lines: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Project many (K_i, 2) lines at once (one PROJ call)."""
        if not lines:
            return []
        if src_crs == self.crs:
            return [np.asarray(ln, np.float64) for ln in lines]
        flat = self.from_crs(src_crs, np.concatenate(lines))
        return np.split(flat, np.cumsum([len(ln) for ln in lines])[:-1])

    def from_crs(self, src_crs: str, xy: np.ndarray) -> np.ndarray:
        """(K, 2) coordinates in ``src_crs`` -> (K, 2) in this frame."""
        from rasterio.warp import transform
        if len(xy) == 0:
            return np.zeros((0, 2))
        xs, ys = transform(src_crs, self.crs, xy[:, 0].tolist(), xy[:, 1].tolist())
        return np.stack([np.asarray(xs), np.asarray(ys)], axis=1)


@dataclass
class RasterGeoref:
    """Affine transform (a, b, c, d, e, f), CRS and (height, width) of a raster."""

    affine: tuple
    crs: Optional[str]
    shape: tuple

    @classmethod
    def from_file(cls, path) -> 'RasterGeoref':
        import rasterio
        with rasterio.open(path) as ds:
            if ds.crs is None:
                raise ValueError(f'{path}: raster has no CRS; cannot georeference')
            t = ds.transform
            return cls((t.a, t.b, t.c, t.d, t.e, t.f), ds.crs.to_string(),
                       (ds.height, ds.width))

    def pixel_to_crs(self, xy: np.ndarray) -> np.ndarray:
        a, b, c, d, e, f = self.affine
        return np.stack([a * xy[:, 0] + b * xy[:, 1] + c,
                         d * xy[:, 0] + e * xy[:, 1] + f], axis=1)

    def bounds(self) -> tuple:
        """(xmin, ymin, xmax, ymax) in the raster CRS."""
        h, w = self.shape
        corners = self.pixel_to_crs(np.array([[0, 0], [w, 0], [0, h], [w, h]], float))
        return (*corners.min(0), *corners.max(0))

    def is_geographic(self) -> bool:
        from rasterio.crs import CRS
        return CRS.from_string(self.crs).is_geographic

    def default_frame(self) -> MetricFrame:
        h, w = self.shape
        centre = self.pixel_to_crs(np.array([[w / 2.0, h / 2.0]]))
        if self.is_geographic():
            return MetricFrame.utm_for(*centre[0])
        return MetricFrame(self.crs)

    def pixel_to_frame(self, xy: np.ndarray, frame: MetricFrame) -> np.ndarray:
        native = self.pixel_to_crs(xy)
        if frame.crs == self.crs:
            return native
        return frame.from_crs(self.crs, native)


def _geojson_crs(data: dict, path) -> str:
    name = ((data.get('crs') or {}).get('properties') or {}).get('name')
    if name is None or name.lower() in _LONLAT_NAMES:
        return 'EPSG:4326'
    from rasterio.crs import CRS
    try:
        crs = CRS.from_user_input(name)
    except Exception as err:  # rasterio raises CRSError subclasses
        raise ValueError(f'{path}: unknown GeoJSON crs {name!r}') from err
    if crs.is_geographic and crs.to_epsg() != 4326:
        raise ValueError(f'{path}: geographic crs {name!r} is not WGS84; '
                         'reproject the file to EPSG:4326 or a metric CRS')
    return crs.to_string()


def read_geojson_lines(path) -> tuple:
    """Return (list of (K, 2) lines in the file's CRS, CRS string).

    LineString and every part of a MultiLineString become lines; features with
    another or null geometry are skipped (roads are lines).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f'{path}: not a readable GeoJSON file ({err})') from err
    if not isinstance(data, dict) or 'features' not in data:
        raise ValueError(f'{path}: expected a GeoJSON FeatureCollection with "features"')
    crs = _geojson_crs(data, path)
    lines = []
    for feat in data['features']:
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
    if crs == 'EPSG:4326' and lines:
        allc = np.concatenate(lines)
        if np.abs(allc[:, 0]).max() > 180 or np.abs(allc[:, 1]).max() > 90:
            raise ValueError(f'{path}: coordinates are not lon/lat although the crs '
                             'is WGS84; name the projected CRS in the "crs" member')
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


def _check_inside(lines_crs: Sequence[np.ndarray], georef: RasterGeoref, path):
    if not lines_crs:
        return
    xmin, ymin, xmax, ymax = georef.bounds()
    pad_x, pad_y = 0.05 * (xmax - xmin), 0.05 * (ymax - ymin)
    pts = np.concatenate(lines_crs)
    inside = ((pts[:, 0] >= xmin - pad_x) & (pts[:, 0] <= xmax + pad_x)
              & (pts[:, 1] >= ymin - pad_y) & (pts[:, 1] <= ymax + pad_y))
    if not inside.any():
        raise ValueError(f'{path}: no vertex lies inside the reference raster bounds '
                         f'{(xmin, ymin, xmax, ymax)} ({georef.crs}); wrong tile or CRS?')


def load_geojson_graph(path, frame: Optional[MetricFrame] = None,
                       georef: Optional[RasterGeoref] = None,
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
    if georef is not None:
        from rasterio.crs import CRS
        if CRS.from_string(georef.crs) == CRS.from_string(crs):
            _check_inside(lines, georef, path)
    if frame is None:
        if georef is not None:
            frame = georef.default_frame()
        elif crs == 'EPSG:4326':
            allc = np.concatenate(lines) if lines else np.zeros((1, 2))
            lo, hi = allc.min(0), allc.max(0)
            frame = MetricFrame.utm_for((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
        else:
            frame = MetricFrame(crs)
    metric = frame.lines_from_crs(crs, lines)
    lonlat = lines if great_circle_lengths and crs == 'EPSG:4326' else None
    return graph_from_polylines(metric, min_component_length=min_component_length,
                                duplicate_segments=duplicate_segments, lonlat=lonlat), frame


def pixel_lines_to_graph(lines: Sequence[np.ndarray], georef: Optional[RasterGeoref] = None,
                         frame: Optional[MetricFrame] = None, gsd: Optional[float] = None,
                         min_component_length: float = MIN_COMPONENT_LENGTH_M,
                         source='pixel lines', duplicate_segments: str = 'drop'):
    """Pixel-coordinate lines -> (RoadGraph in metres, frame or None).

    With ``georef`` the lines go to ``frame`` (default: the raster's UTM
    frame); otherwise ``gsd`` (metres per pixel) scales them. Vertices merge
    on exactly equal pixel coordinates and no half-pixel shift is applied
    (pixel x, y go through the affine transform as they are), as in the APLS
    reference. ``duplicate_segments`` goes to
    :func:`~.road_graph.graph_from_polylines` (the reference aborts on a
    repeated segment in a WKT proposal; ``'drop'`` keeps the GeoJSON rule).
    """
    if georef is not None:
        frame = frame or georef.default_frame()
        _check_inside([georef.pixel_to_crs(ln) for ln in lines], georef, source)
        metric = frame.lines_from_crs(georef.crs, [georef.pixel_to_crs(ln) for ln in lines])
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
