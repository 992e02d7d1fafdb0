"""Road labels from a road graph: graph building, masks, centrelines, junctions, connectivity.

Everything here works in *pixel* coordinates of one tile: ``x`` = column, ``y`` = row,
both floats, origin at the top-left corner of the top-left pixel (so the centre of
pixel ``(r, c)`` is ``(c + 0.5, r + 0.5)``). Georeferenced inputs are converted to
pixels first (see :mod:`mmkd_rs.datasets.roads.geo`).

Road graph: a :class:`~mmkd_rs.evaluation.graph.road_graph.RoadGraph` in px,
the type the graph metrics score. Its ``lengths`` (E,) are the edge lengths in
px as measured when the graph was built (or read from its file). It is saved as
JSON ``{"nodes": [{"id", "x", "y", "degree"}], "edges": [{"u", "v", "coords",
"length_px"}], "height", "width"}`` (node ids are node indices).

Connectivity labels (5 classes, uint8, 255 = ignore), scheme ``'topology'``
(default, see configs/roadcon/README.md for the reasoning):
    0 background, 1 road body, 2 centreline band, 3 junction zone (node of
    degree >= 3), 4 dead-end zone (degree-1 node whose road does not reach the
    tile border, see :func:`dead_end_nodes`).
Scheme ``'direction'``: 0 background, 1..4 road pixels whose nearest
centreline runs at 0, 45, 90, 135 degrees (+-22.5, undirected, image axes).
"""
import json

import cv2
import numpy as np
from scipy import ndimage

from mmkd_rs.evaluation.graph.road_graph import RoadGraph
from mmkd_rs.utils.errors import DataFileError

CONN_CLASSES_TOPOLOGY = ('background', 'road body', 'centreline band', 'junction zone',
                         'dead-end zone')
CONN_CLASSES_DIRECTION = ('background', 'direction 0', 'direction 45', 'direction 90',
                          'direction 135')
CONN_SCHEMES = {'topology': CONN_CLASSES_TOPOLOGY, 'direction': CONN_CLASSES_DIRECTION}
CONN_IGNORE_INDEX = 255

# cv2 draws with integer coordinates; shift=4 keeps 1/16 px precision.
_SHIFT = 4


def _fixed(points):
    """(N, 2) float px (corner origin) -> int32 cv2 points with ``_SHIFT`` bits."""
    pts = (np.asarray(points, dtype=np.float64) - 0.5) * (1 << _SHIFT)
    return np.round(pts).astype(np.int32).reshape(-1, 1, 2)


def _line_length(coords):
    return float(np.hypot(*np.diff(coords, axis=0).T).sum())


def _ordered_graph(nodes, edges, polylines, lengths):
    """RoadGraph whose edges run from the lower node index, ordered by it (stable).

    ``edges`` (u, v) with u <= v, in the order they were first added.
    """
    edges = np.asarray(edges, np.int64).reshape(-1, 2)
    order = np.argsort(edges[:, 0], kind='stable')
    return RoadGraph(np.asarray(nodes, np.float64).reshape(-1, 2), edges[order],
                     [polylines[i] for i in order.tolist()],
                     np.asarray(lengths, np.float64)[order])


def lines_to_graph(lines, snap_px=1.0, shape=None, border_margin_px=2.0):
    """Build a road graph from polylines.

    Line end points closer than ``snap_px`` become one node (so lines that share an
    end point meet at a junction) and the lines are moved to end exactly on it.
    Interior vertices are kept as edge geometry. A line end that touches the
    *interior* of another line is not split into a junction here: use
    :func:`node_lines` first to split lines where they cross or touch.

    Args:
        lines (list[array-like]): polylines, each ``(N, 2)`` with ``N >= 2`` (x, y) px.
        snap_px (float): end point merge tolerance in px.
        shape (tuple, optional): ``(H, W)`` of the tile. End points within
            ``border_margin_px`` of its border are cuts of roads leaving the tile
            (e.g. the two carriageways of a highway): they only merge when closer
            than 0.5 px.

    Returns:
        RoadGraph: nodes numbered in order of first appearance; one edge per
        line, running from its lower node index to the higher one, edges
        ordered by that lower index (then by line order). Parallel lines
        between the same two nodes keep the longest one (the first of equal
        ones) at the place of the first.
    """
    nodes, keys = [], {}
    edge_at, edges, polylines, lengths = {}, [], [], []

    def node_of(pt):
        tol = snap_px if shape is None or _inside(pt, shape, border_margin_px) else 0.5
        key = (int(pt[0] // snap_px), int(pt[1] // snap_px))
        best, best_dist = None, tol
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for hit in keys.get((key[0] + dx, key[1] + dy), ()):
                    dist = float(np.hypot(*(nodes[hit] - pt)))
                    if dist <= best_dist:
                        best, best_dist = hit, dist
        if best is not None:
            return best
        nodes.append(np.asarray(pt, dtype=np.float64))
        keys.setdefault(key, []).append(len(nodes) - 1)
        return len(nodes) - 1

    for i, line in enumerate(lines):
        coords = np.asarray(line, dtype=np.float64)
        if coords.ndim != 2 or coords.shape[1] != 2 or len(coords) < 2:
            raise ValueError(f'line {i}: expected an (N>=2, 2) array of (x, y) pixel '
                             f'coordinates, got shape {coords.shape}')
        u, v = node_of(coords[0]), node_of(coords[-1])
        coords = coords.copy()
        coords[0], coords[-1] = nodes[u], nodes[v]
        if u == v and len(coords) < 3:
            continue  # degenerate zero-length segment
        length = _line_length(coords)
        if u > v:
            u, v, coords = v, u, coords[::-1]
        at = edge_at.get((u, v))
        if at is None:
            edge_at[u, v] = len(edges)
            edges.append((u, v))
            polylines.append(coords)
            lengths.append(length)
        elif lengths[at] < length:
            polylines[at], lengths[at] = coords, length
    return _ordered_graph(nodes, edges, polylines, lengths)


def node_lines(lines):
    """Split polylines at every mutual crossing (shapely noding), so that roads that
    cross without a shared vertex meet at a junction node.

    Args:
        lines (list[np.ndarray]): ``(N, 2)`` px polylines.

    Returns:
        list[np.ndarray]: noded polylines (collinear overlaps are merged).
    """
    from shapely.geometry import LineString
    from shapely.ops import unary_union

    geoms = [LineString(line) for line in lines if len(line) >= 2]
    if not geoms:
        return []
    merged = unary_union(geoms)
    parts = merged.geoms if hasattr(merged, 'geoms') else [merged]
    return [np.asarray(part.coords)[:, :2] for part in parts
            if part.geom_type == 'LineString' and part.length > 0]


def graph_to_dict(graph, height, width):
    """JSON-serialisable dict of a road graph (see module docstring)."""
    degree = graph.degrees().tolist()
    nodes = [dict(id=n, x=float(x), y=float(y), degree=degree[n])
             for n, (x, y) in enumerate(graph.nodes.tolist())]
    edges = [dict(u=u, v=v, coords=np.round(coords, 3).tolist(), length_px=float(length))
             for (u, v), coords, length in zip(graph.edges.tolist(), graph.polylines,
                                               graph.edge_lengths())]
    return dict(height=int(height), width=int(width), nodes=nodes, edges=edges)


def save_graph(graph, path, height, width):
    """Write the road graph as JSON (pixel coordinates)."""
    with open(path, 'w') as f:
        json.dump(graph_to_dict(graph, height, width), f)


def load_graph(path):
    """Read a road graph file (see the module docstring); returns (graph, (height, width)).

    Nodes keep the file's order. Edges are ordered by the earlier of their two
    nodes in that order (then by file order); an edge listed twice keeps its
    first place and its last geometry. Each keeps the direction of its
    ``coords`` and its ``length_px``.
    """
    with open(path) as f:
        try:
            data = json.load(f)
        except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
            raise DataFileError(f'road graph file "{path}" is not valid JSON ({err}); '
                                'empty or truncated?') from None
    missing = {'nodes', 'edges', 'height', 'width'} - set(data)
    if missing:
        raise KeyError(f'road graph file "{path}" lacks keys {sorted(missing)}')
    index, nodes = {}, []
    for n in data['nodes']:
        if n['id'] not in index:
            index[n['id']] = len(nodes)
            nodes.append(None)
        nodes[index[n['id']]] = (n['x'], n['y'])
    edge_at, edges, polylines, lengths = {}, [], [], []
    for e in data['edges']:
        if e['u'] not in index or e['v'] not in index:
            raise DataFileError(f'road graph file "{path}": edge {e["u"]}-{e["v"]} names a '
                                'node that is not in "nodes"')
        u, v = index[e['u']], index[e['v']]
        coords = np.asarray(e['coords'], dtype=np.float64).reshape(-1, 2)
        at = edge_at.setdefault((min(u, v), max(u, v)), len(edges))
        if at == len(edges):
            edges.append((u, v))
            polylines.append(coords)
            lengths.append(e['length_px'])
        else:
            edges[at], polylines[at], lengths[at] = (u, v), coords, e['length_px']
    edges = np.asarray(edges, np.int64).reshape(-1, 2)
    order = np.argsort(edges.min(axis=1), kind='stable')
    graph = RoadGraph(np.asarray(nodes, np.float64).reshape(-1, 2), edges[order],
                      [polylines[i] for i in order.tolist()],
                      np.asarray(lengths, np.float64)[order])
    return graph, (data['height'], data['width'])


def road_mask_from_graph(graph, shape, width_px):
    """Road mask (uint8 0/1, ``shape``): pixels whose centre lies within half the
    road width of an edge (shapely buffer, round caps, burnt with rasterio).

    Args:
        width_px (float | array-like): road width in px, or one per edge (E,).
    """
    from rasterio.features import rasterize
    from shapely.geometry import LineString

    widths = np.broadcast_to(np.asarray(width_px, np.float64), (graph.num_edges, ))
    shapes = [(LineString(coords).buffer(w / 2.0), 1)
              for coords, w in zip(graph.polylines, widths.tolist())]
    if not shapes:
        return np.zeros(shape, dtype=np.uint8)
    return rasterize(shapes, out_shape=shape, fill=0, dtype=np.uint8)


def centreline_mask(graph, shape, thickness=1):
    """1-px (or ``thickness``) centreline raster, uint8 0/1."""
    mask = np.zeros(shape, dtype=np.uint8)
    for coords in graph.polylines:
        cv2.polylines(mask, [_fixed(coords)], False, 1, thickness, cv2.LINE_8, _SHIFT)
    return mask


def _inside(xy, shape, margin):
    h, w = shape
    return margin <= xy[0] <= w - margin and margin <= xy[1] <= h - margin


def junction_nodes(graph):
    """Indices of the nodes of degree >= 3."""
    return np.flatnonzero(graph.degrees() >= 3).tolist()


def dead_end_nodes(graph, shape, border_margin=2.0, road_mask=None):
    """Degree-1 nodes that are real dead ends, not cuts of roads leaving the tile.

    A degree-1 node is a cut when its distance to the nearest tile border is at
    most ``border_margin`` plus the local road half-width ``r`` (px), i.e. when
    the road around it reaches within ``border_margin`` of the border. A
    centreline clipped at the border ends on it (distance 0), but a mask
    skeleton stops about ``r`` inside the tile, so a fixed margin alone turns
    most roads crossing a tile into false dead ends.

    Args:
        graph (RoadGraph): road graph in px.
        shape (tuple): ``(H, W)`` of the tile.
        border_margin (float): px, added to the local half-width.
        road_mask (np.ndarray, optional): ``(H, W)``, non-zero = road. ``r`` is
            its Euclidean distance transform (distance to the nearest non-road
            pixel centre) at the node's pixel; without it ``r = 0``.

    Returns:
        list[int]: indices of the dead-end nodes.
    """
    ends = np.flatnonzero(graph.degrees() == 1).tolist()
    if road_mask is None or not ends:
        half_width = None
    else:
        half_width = ndimage.distance_transform_edt(np.asarray(road_mask) > 0)
    h, w = shape
    dead = []
    for n in ends:
        xy = graph.nodes[n]
        margin = border_margin
        if half_width is not None:
            row = min(max(int(xy[1]), 0), h - 1)
            col = min(max(int(xy[0]), 0), w - 1)
            margin += float(half_width[row, col])
        if _inside(xy, shape, margin):
            dead.append(n)
    return dead


def disk_mask(graph, nodes, shape, radius_px):
    """uint8 0/1 raster of filled disks of ``radius_px`` around the node indices ``nodes``."""
    mask = np.zeros(shape, dtype=np.uint8)
    r = int(round(radius_px * (1 << _SHIFT)))
    for n in nodes:
        centre = tuple(int(v) for v in _fixed(graph.nodes[n][None]).ravel())
        cv2.circle(mask, centre, r, 1, -1, cv2.LINE_8, _SHIFT)
    return mask


def _direction_bins(graph, shape):
    """Per pixel: direction bin (1..4) of the nearest centreline pixel."""
    bins = np.zeros(shape, dtype=np.uint8)
    for pts in graph.polylines:
        for a, b in zip(pts[:-1], pts[1:]):
            angle = np.degrees(np.arctan2(b[1] - a[1], b[0] - a[0])) % 180.0
            cls = 1 + int(((angle + 22.5) // 45.0) % 4)
            cv2.line(bins, tuple(int(v) for v in _fixed(a[None]).ravel()),
                     tuple(int(v) for v in _fixed(b[None]).ravel()), cls, 1, cv2.LINE_8,
                     _SHIFT)
    if not bins.any():
        return bins
    _, (rows, cols) = ndimage.distance_transform_edt(bins == 0, return_indices=True)
    return bins[rows, cols]


def connectivity_label(road_mask, graph, scheme='topology', centreline_halfwidth_px=1.5,
                       junction_radius_px=8.0, dead_end_radius_px=6.0, border_margin_px=2.0):
    """5-class connectivity label of one tile (see module docstring).

    Args:
        road_mask (np.ndarray): ``(H, W)`` road mask, non-zero = road.
        graph (RoadGraph): road graph in px of the same tile.
        scheme (str): ``'topology'`` or ``'direction'``.
        centreline_halfwidth_px (float): pixels within this distance of the
            centreline form the centreline band (``'topology'``).
        junction_radius_px (float): junction zone radius (``'topology'``).
        dead_end_radius_px (float): dead-end zone radius (``'topology'``).
        border_margin_px (float): degree-1 nodes closer than the local road
            half-width plus this to the tile border are cut roads, not dead
            ends (see :func:`dead_end_nodes`; the half-width is measured on the
            road pixels, ``road_mask`` united with the centreline band).

    Returns:
        np.ndarray: ``(H, W)`` uint8 in ``0..4``. Road pixels are
        ``road_mask`` united with the centreline band, so every class > 0 lies on road.
    """
    if scheme not in CONN_SCHEMES:
        raise ValueError(f'unknown connectivity scheme "{scheme}", expected one of '
                         f'{sorted(CONN_SCHEMES)}')
    shape = road_mask.shape
    centre = centreline_mask(graph, shape)
    if centre.any():
        band = ndimage.distance_transform_edt(centre == 0) <= centreline_halfwidth_px
    else:
        band = np.zeros(shape, dtype=bool)
    road = (road_mask > 0) | band
    label = np.zeros(shape, dtype=np.uint8)
    if scheme == 'direction':
        label[road] = _direction_bins(graph, shape)[road]
        return label
    label[road] = 1
    label[band] = 2
    dead = disk_mask(graph, dead_end_nodes(graph, shape, border_margin_px, road), shape,
                     dead_end_radius_px).astype(bool)
    label[dead & road] = 4
    junc = disk_mask(graph, junction_nodes(graph), shape, junction_radius_px).astype(bool)
    label[junc & road] = 3
    return label
