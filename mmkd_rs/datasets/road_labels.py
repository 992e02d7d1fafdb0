"""Road labels from a road graph: graph building, masks, centrelines, junctions, connectivity.

Everything here works in *pixel* coordinates of one tile: ``x`` = column, ``y`` = row,
both floats, origin at the top-left corner of the top-left pixel (so the centre of
pixel ``(r, c)`` is ``(c + 0.5, r + 0.5)``). Georeferenced inputs are converted to
pixels first (see :mod:`mmkd_rs.datasets.roads.geo`).

Road graph (a :class:`networkx.Graph`):
    node attributes ``xy`` = ``(x, y)`` in px; edge attributes ``coords`` =
    ``(N, 2)`` float array of the polyline from ``u`` to ``v`` in px and
    ``length_px``. It is saved as JSON ``{"nodes": [{"id", "x", "y", "degree"}],
    "edges": [{"u", "v", "coords", "length_px"}], "height", "width"}``.

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
import networkx as nx
import numpy as np
from scipy import ndimage

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
        networkx.Graph: nodes with ``xy``; edges with ``coords`` and ``length_px``.
        Parallel lines between the same two nodes keep the longest one.
    """
    graph = nx.Graph()
    keys = {}

    def node_of(pt):
        tol = snap_px if shape is None or _inside(pt, shape, border_margin_px) else 0.5
        key = (int(pt[0] // snap_px), int(pt[1] // snap_px))
        best, best_dist = None, tol
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for hit in keys.get((key[0] + dx, key[1] + dy), ()):
                    dist = float(np.hypot(*(graph.nodes[hit]['xy'] - pt)))
                    if dist <= best_dist:
                        best, best_dist = hit, dist
        if best is not None:
            return best
        node = graph.number_of_nodes()
        graph.add_node(node, xy=np.asarray(pt, dtype=np.float64))
        keys.setdefault(key, []).append(node)
        return node

    for i, line in enumerate(lines):
        coords = np.asarray(line, dtype=np.float64)
        if coords.ndim != 2 or coords.shape[1] != 2 or len(coords) < 2:
            raise ValueError(f'line {i}: expected an (N>=2, 2) array of (x, y) pixel '
                             f'coordinates, got shape {coords.shape}')
        u, v = node_of(coords[0]), node_of(coords[-1])
        coords = coords.copy()
        coords[0], coords[-1] = graph.nodes[u]['xy'], graph.nodes[v]['xy']
        if u == v and len(coords) < 3:
            continue  # degenerate zero-length segment
        length = float(np.hypot(*np.diff(coords, axis=0).T).sum())
        if graph.has_edge(u, v) and graph.edges[u, v]['length_px'] >= length:
            continue
        if u > v:
            u, v, coords = v, u, coords[::-1]
        graph.add_edge(u, v, coords=coords, length_px=length)
    return graph


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
    nodes = [dict(id=int(n), x=float(d['xy'][0]), y=float(d['xy'][1]),
                  degree=int(graph.degree[n])) for n, d in graph.nodes(data=True)]
    edges = [dict(u=int(u), v=int(v), coords=np.round(d['coords'], 3).tolist(),
                  length_px=float(d['length_px'])) for u, v, d in graph.edges(data=True)]
    return dict(height=int(height), width=int(width), nodes=nodes, edges=edges)


def save_graph(graph, path, height, width):
    """Write the road graph as JSON (pixel coordinates)."""
    with open(path, 'w') as f:
        json.dump(graph_to_dict(graph, height, width), f)


def load_graph(path):
    """Read a road graph written by :func:`save_graph`; returns (graph, (height, width))."""
    with open(path) as f:
        try:
            data = json.load(f)
        except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
            raise DataFileError(f'road graph file "{path}" is not valid JSON ({err}); '
                                'empty or truncated?') from None
    missing = {'nodes', 'edges', 'height', 'width'} - set(data)
    if missing:
        raise KeyError(f'road graph file "{path}" lacks keys {sorted(missing)}')
    graph = nx.Graph()
    for n in data['nodes']:
        graph.add_node(n['id'], xy=np.array([n['x'], n['y']], dtype=np.float64))
    for e in data['edges']:
        graph.add_edge(e['u'], e['v'], coords=np.asarray(e['coords'], dtype=np.float64),
                       length_px=e['length_px'])
    return graph, (data['height'], data['width'])


def road_mask_from_graph(graph, shape, width_px):
    """Road mask (uint8 0/1, ``shape``): pixels whose centre lies within half the
    road width of an edge (shapely buffer, round caps, burnt with rasterio).

    Args:
        width_px (float | callable): road width in px, or ``f(u, v, edge_data)``
            returning it per edge.
    """
    from rasterio.features import rasterize
    from shapely.geometry import LineString

    shapes = []
    for u, v, d in graph.edges(data=True):
        w = width_px(u, v, d) if callable(width_px) else width_px
        shapes.append((LineString(d['coords']).buffer(w / 2.0), 1))
    if not shapes:
        return np.zeros(shape, dtype=np.uint8)
    return rasterize(shapes, out_shape=shape, fill=0, dtype=np.uint8)


def centreline_mask(graph, shape, thickness=1):
    """1-px (or ``thickness``) centreline raster, uint8 0/1."""
    mask = np.zeros(shape, dtype=np.uint8)
    for _, _, d in graph.edges(data=True):
        cv2.polylines(mask, [_fixed(d['coords'])], False, 1, thickness, cv2.LINE_8, _SHIFT)
    return mask


def _inside(xy, shape, margin):
    h, w = shape
    return margin <= xy[0] <= w - margin and margin <= xy[1] <= h - margin


def junction_nodes(graph):
    """Nodes of degree >= 3."""
    return [n for n in graph.nodes if graph.degree[n] >= 3]


def dead_end_nodes(graph, shape, border_margin=2.0, road_mask=None):
    """Degree-1 nodes that are real dead ends, not cuts of roads leaving the tile.

    A degree-1 node is a cut when its distance to the nearest tile border is at
    most ``border_margin`` plus the local road half-width ``r`` (px), i.e. when
    the road around it reaches within ``border_margin`` of the border. A
    centreline clipped at the border ends on it (distance 0), but a mask
    skeleton stops about ``r`` inside the tile, so a fixed margin alone turns
    most roads crossing a tile into false dead ends.

    Args:
        graph (networkx.Graph): road graph in px.
        shape (tuple): ``(H, W)`` of the tile.
        border_margin (float): px, added to the local half-width.
        road_mask (np.ndarray, optional): ``(H, W)``, non-zero = road. ``r`` is
            its Euclidean distance transform (distance to the nearest non-road
            pixel centre) at the node's pixel; without it ``r = 0``.

    Returns:
        list: the dead-end nodes.
    """
    ends = [n for n in graph.nodes if graph.degree[n] == 1]
    if road_mask is None or not ends:
        half_width = None
    else:
        half_width = ndimage.distance_transform_edt(np.asarray(road_mask) > 0)
    h, w = shape
    dead = []
    for n in ends:
        xy = graph.nodes[n]['xy']
        margin = border_margin
        if half_width is not None:
            row = min(max(int(xy[1]), 0), h - 1)
            col = min(max(int(xy[0]), 0), w - 1)
            margin += float(half_width[row, col])
        if _inside(xy, shape, margin):
            dead.append(n)
    return dead


def disk_mask(graph, nodes, shape, radius_px):
    """uint8 0/1 raster of filled disks of ``radius_px`` around ``nodes``."""
    mask = np.zeros(shape, dtype=np.uint8)
    r = int(round(radius_px * (1 << _SHIFT)))
    for n in nodes:
        centre = tuple(int(v) for v in _fixed(graph.nodes[n]['xy'][None]).ravel())
        cv2.circle(mask, centre, r, 1, -1, cv2.LINE_8, _SHIFT)
    return mask


def _direction_bins(graph, shape):
    """Per pixel: direction bin (1..4) of the nearest centreline pixel."""
    bins = np.zeros(shape, dtype=np.uint8)
    for _, _, d in graph.edges(data=True):
        pts = d['coords']
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
        graph (networkx.Graph): road graph in px of the same tile.
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


_NEIGHBOURS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


def _trace(pixels):
    """Order the pixels of one simple skeleton path (set of (r, c)) from an end."""
    def nbrs(p):
        cand = [(p[0] + dr, p[1] + dc) for dr, dc in _NEIGHBOURS]
        return [q for q in cand if q in pixels]
    ends = [p for p in pixels if len(nbrs(p)) <= 1]
    start = min(ends) if ends else min(pixels)
    path, seen = [start], {start}
    while True:
        nxt = [q for q in nbrs(path[-1]) if q not in seen]
        if not nxt:
            return path
        # prefer 4-connected steps to stay on the path
        nxt.sort(key=lambda q: abs(q[0] - path[-1][0]) + abs(q[1] - path[-1][1]))
        path.append(nxt[0])
        seen.add(nxt[0])


def mask_to_graph(road_mask, min_edge_px=0):
    """Road graph from a binary road mask by skeletonisation (for raster-only datasets).

    Skeleton pixels with 3+ skeleton neighbours form junction clusters (one node
    at their centroid), pixels with one neighbour are end nodes; the skeleton
    paths between them become edges (polyline through pixel centres).

    Args:
        road_mask (np.ndarray): ``(H, W)``, non-zero = road.
        min_edge_px (int): drop edges shorter than this that end in a degree-1
            node (skeleton spurs from ragged mask borders).
    """
    from skimage.morphology import skeletonize

    skel = skeletonize(road_mask > 0)
    if not skel.any():
        return nx.Graph()
    count = ndimage.convolve(skel.astype(np.uint8), np.ones((3, 3), np.uint8),
                             mode='constant') - 1
    node_px = skel & (count != 2)
    node_lab, n_nodes = ndimage.label(node_px, structure=np.ones((3, 3)))
    centroids = ndimage.center_of_mass(node_px, node_lab, range(1, n_nodes + 1))
    node_xy = {k + 1: np.array([c[1] + 0.5, c[0] + 0.5]) for k, c in enumerate(centroids)}
    seg_lab, n_seg = ndimage.label(skel & ~node_px, structure=np.ones((3, 3)))
    lines = []
    objects = ndimage.find_objects(seg_lab)
    h, w = skel.shape
    for k in range(1, n_seg + 1):
        sl = objects[k - 1]
        rr, cc = np.nonzero(seg_lab[sl] == k)
        path = _trace(set(zip((rr + sl[0].start).tolist(), (cc + sl[1].start).tolist())))
        pts = [np.array([c + 0.5, r + 0.5]) for r, c in path]
        for end, where in ((path[0], 0), (path[-1], -1)):
            touching = {int(node_lab[end[0] + dr, end[1] + dc]) for dr, dc in _NEIGHBOURS
                        if 0 <= end[0] + dr < h and 0 <= end[1] + dc < w} - {0}
            if touching:
                nearest = min(touching, key=lambda t: np.hypot(*(node_xy[t] - pts[where])))
                if where == 0:
                    pts.insert(0, node_xy[nearest])
                else:
                    pts.append(node_xy[nearest])
        if len(pts) >= 2:
            lines.append(np.stack(pts))
    # junction clusters touching each other directly (no path pixel between them)
    graph = lines_to_graph(lines, snap_px=0.75)
    for n, xy in node_xy.items():  # isolated dots and end nodes without a path
        if not any(np.hypot(*(graph.nodes[m]['xy'] - xy)) <= 0.75 for m in graph.nodes):
            graph.add_node(graph.number_of_nodes() + n_nodes + n, xy=xy)
    if min_edge_px > 0:
        spurs = [(u, v) for u, v, d in graph.edges(data=True) if d['length_px'] < min_edge_px
                 and min(graph.degree[u], graph.degree[v]) == 1
                 and max(graph.degree[u], graph.degree[v]) >= 3]
        graph.remove_edges_from(spurs)
        graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree[n] == 0])
    return graph
