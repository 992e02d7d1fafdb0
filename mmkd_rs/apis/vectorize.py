"""Vectors from a predicted class mask, read block by block.

* :func:`mask_polygons`: one polygon per 4-connected region of a class
  (``rasterio.features.shapes``); regions cut by block borders are merged
  (``shapely.unary_union``), so the result equals polygonising the whole
  mask at once.
* :func:`mask_road_graph`: the road graph of
  :func:`mmkd_rs.evaluation.graph.mask_to_graph` (clean, skeletonise,
  trace, prune spurs, simplify: the graph APLS and TOPO score), traced per
  block with ``margin`` pixels of context, clipped to the block and joined
  at block borders (line ends within ``snap`` pixels of each other on a
  border meet). Close to, not identical with, tracing the whole mask.

Both return coordinates in the mask's CRS (its affine transform applied to
pixel corners; pixel ``(col, row)`` has its centre at ``(col + 0.5,
row + 0.5)``), or in pixels when the mask has no georeference. Memory is
bounded by the block plus the vectors themselves.
"""
import warnings
from typing import Dict, List, Optional, Sequence

import numpy as np

from mmkd_rs.geo.writer import NODATA

__all__ = ['mask_polygons', 'mask_road_graph', 'polygons_geojson', 'road_graph_geojson']


def _open(path):
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', NotGeoreferencedWarning)
        return rasterio.open(path)


def _blocks(height: int, width: int, block: int):
    for row in range(0, height, block):
        for col in range(0, width, block):
            yield row, min(row + block, height), col, min(col + block, width)


def _affine_params(src) -> list:
    t = src.transform
    return [t.a, t.b, t.d, t.e, t.c, t.f]


def mask_polygons(path: str, classes: Sequence[int], block: int = 1024) -> List[tuple]:
    """Polygons of ``classes`` in the class mask ``path``.

    Args:
        path (str): Class-index raster (255 = nodata).
        classes (Sequence[int]): Class indices to polygonise.
        block (int): Rows / columns read at a time.

    Returns:
        list[tuple]: ``(class index, shapely Polygon)`` in the mask's CRS
        (pixels without one), sorted by class, then top-left corner.
    """
    from rasterio.features import shapes
    from rasterio.transform import Affine
    from rasterio.windows import Window
    from shapely import affinity
    from shapely.geometry import shape
    from shapely.ops import unary_union
    wanted = np.asarray(sorted(set(int(c) for c in classes)))
    done: List[tuple] = []
    cut: Dict[int, list] = {int(c): [] for c in wanted}
    with _open(path) as src:
        height, width = src.height, src.width
        params = _affine_params(src)
        for r0, r1, c0, c1 in _blocks(height, width, block):
            labels = src.read(1, window=Window(c0, r0, c1 - c0, r1 - r0))
            keep = np.isin(labels, wanted) & (labels != NODATA)
            if not keep.any():
                continue
            for geom, value in shapes(labels, mask=keep, connectivity=4,
                                      transform=Affine.translation(c0, r0)):
                poly = shape(geom)
                x0, y0, x1, y1 = poly.bounds
                on_seam = (x0 == c0 > 0) or (y0 == r0 > 0) or (x1 == c1 < width) or \
                    (y1 == r1 < height)
                if on_seam:
                    cut[int(value)].append(poly)
                else:
                    done.append((int(value), poly))
    for value, parts in cut.items():
        if parts:
            merged = unary_union(parts)
            done.extend((value, p) for p in getattr(merged, 'geoms', [merged]))
    done.sort(key=lambda item: (item[0], item[1].bounds[1], item[1].bounds[0]))
    return [(value, affinity.affine_transform(poly, params)) for value, poly in done]


def polygons_geojson(polygons: Sequence[tuple], class_names: Sequence[str],
                     crs: Optional[str]) -> dict:
    """GeoJSON FeatureCollection (``class``, ``name``, ``area`` properties)."""
    from shapely.geometry import mapping
    features = [dict(type='Feature',
                     properties=dict(**{'class': value}, name=str(class_names[value]),
                                     area=float(poly.area)),
                     geometry=mapping(poly)) for value, poly in polygons]
    collection = dict(type='FeatureCollection', features=features)
    if crs is not None:
        collection['crs'] = dict(type='name', properties=dict(name=crs))
    return collection


def _snap_seam_ends(pieces: List[np.ndarray], seams_x, seams_y, snap: float) -> None:
    """Move line ends lying on a block border within ``snap`` px of each other to their mean."""
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree
    ends, where = [], []
    for i, piece in enumerate(pieces):
        for j in (0, len(piece) - 1):
            x, y = piece[j]
            if np.isclose(x, seams_x).any() or np.isclose(y, seams_y).any():
                ends.append((x, y))
                where.append((i, j))
    if len(ends) < 2:
        return
    ends = np.asarray(ends)
    pairs = cKDTree(ends).query_pairs(snap, output_type='ndarray')
    if not len(pairs):
        return
    from scipy.sparse import coo_matrix
    n = len(ends)
    adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, label = connected_components(adj, directed=False)
    means = np.stack([np.bincount(label, ends[:, k]) / np.bincount(label) for k in (0, 1)], 1)
    for (i, j), lab in zip(where, label):
        pieces[i][j] = means[lab]


def mask_road_graph(path: str, road_class: int = 1, block: int = 1024, margin: int = 64,
                    snap: float = 3.0, graph_cfg: Optional[dict] = None):
    """Road graph of the class mask ``path`` in its CRS (pixels without one).

    Args:
        path (str): Class-index raster (255 = nodata).
        road_class (int): Class index of road.
        block (int): Block size (px).
        margin (int): Context traced around each block (px).
        snap (float): Join distance of line ends on block borders (px).
        graph_cfg (dict, optional): :func:`mask_to_graph` keyword arguments
            (e.g. a ``RoadMetric``'s ``graph_cfg``).

    Returns:
        RoadGraph: nodes and polylines in the mask's CRS.
    """
    from rasterio.windows import Window
    from shapely.geometry import LineString, box

    from mmkd_rs.evaluation.graph.road_graph import graph_from_polylines
    from mmkd_rs.evaluation.graph.skeleton_graph import mask_to_graph
    pieces: List[np.ndarray] = []
    with _open(path) as src:
        height, width = src.height, src.width
        a, b, d, e, c, f = _affine_params(src)
        for r0, r1, c0, c1 in _blocks(height, width, block):
            R0, C0 = max(0, r0 - margin), max(0, c0 - margin)
            R1, C1 = min(height, r1 + margin), min(width, c1 + margin)
            road = src.read(1, window=Window(C0, R0, C1 - C0, R1 - R0)) == road_class
            graph = mask_to_graph(road, **(graph_cfg or {}))
            core = box(c0 - 0.5, r0 - 0.5, c1 - 0.5, r1 - 0.5)
            for line in graph.polylines:
                clipped = LineString(line + (C0, R0)).intersection(core)
                for part in getattr(clipped, 'geoms', [clipped]):
                    if part.geom_type == 'LineString' and not part.is_empty:
                        pieces.append(np.asarray(part.coords, np.float64))
    seams_x = np.arange(block, width, block) - 0.5
    seams_y = np.arange(block, height, block) - 0.5
    _snap_seam_ends(pieces, seams_x, seams_y, snap)
    graph = graph_from_polylines(pieces, duplicate_segments='merge')

    def to_crs(xy):
        x, y = xy[:, 0] + 0.5, xy[:, 1] + 0.5
        return np.stack([a * x + b * y + c, d * x + e * y + f], axis=1)

    return graph.transformed(to_crs)


def road_graph_geojson(graph, crs: Optional[str]) -> dict:
    """GeoJSON FeatureCollection of LineStrings, one per graph edge."""
    from mmkd_rs.evaluation.graph.geo_io import graph_to_geojson
    collection = graph_to_geojson(graph, crs or '')
    if crs is None:
        collection.pop('crs')
    return collection
