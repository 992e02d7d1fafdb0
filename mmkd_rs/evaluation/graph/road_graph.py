"""Undirected road graph with polyline edges, in metric coordinates.

A :class:`RoadGraph` holds node positions ``nodes`` (N, 2) float64 in metres
(x = easting / column direction, y = northing / row direction; graphs traced
from masks and the road label graphs are in pixels) and, per edge,
its end nodes ``edges`` (E, 2) int64 and its geometry ``polylines[e]``
(K_e, 2) float64 running from ``nodes[edges[e, 0]]`` to ``nodes[edges[e, 1]]``.
Edge lengths are polyline lengths in metres unless the graph carries its own
``lengths`` (E,) (great-circle lengths of a lon/lat GeoJSON, see below).

:func:`graph_from_polylines` builds the graph the way the APLS reference
builds it from GeoJSON:

* vertices merge only where coordinates are exactly equal; nodes are
  numbered in order of first appearance in the input (the reference's node
  order, which its TOPO start-node draws index);
* chains of degree-2 vertices merge into one edge, also across the joint of
  two input lines or of two parts of a MultiLineString
  (``split_at_line_joints=True`` keeps such joints as nodes);
* rings (closed chains): a ring through two or more nodes is split at them
  into ordinary edges; a ring through exactly one node is dropped (the
  reference turns it into two opposite self-loops with the same geometry and
  its redundant-edge clean-up removes both), the node stays; a ring through
  no node at all (an isolated loop) is left unsimplified, every vertex a node
  and every segment an edge. No edge is a self-loop;
* a vertex repeated in a row (a zero-length segment) stays a node;
* repeated segments (the same pair of vertices joined by more than one input
  segment) are removed with all their copies by default
  (``duplicate_segments='drop'``), their end vertices staying nodes;
  ``'merge'`` keeps one copy instead;
* connected components whose longest shortest path is under
  ``min_component_length`` are dropped.

With ``lonlat`` (the same lines in degrees) edge lengths are great-circle
lengths on a sphere of radius 6371009 m, each input segment rounded to the
millimetre, as the reference measures GeoJSON roads (they differ from the
projected lengths by up to about 0.2 %; the reference places its control
points and TOPO holes by them).

Two corner cases of the reference are not reproduced: when the first copy of
a repeated segment (or the first of the two self-loops of a one-node ring)
happens to be the very first edge the reference enumerates, it keeps that
copy.
"""
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Hashable, List, Optional, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

DUPLICATE_SEGMENT_MODES = ('drop', 'merge')
#: Sphere radius (metres) of the reference's great-circle edge lengths.
EARTH_RADIUS_M = 6371009.0


@dataclass
class RoadGraph:
    """Nodes (N, 2) in metres, edges (E, 2) node indices, one polyline per edge.

    ``lengths`` (E,) optional edge lengths in metres; ``None`` means the
    polyline lengths.

    A graph is not changed after construction (every operation returns a new
    one), so what the metrics derive from it (polyline lengths, segment
    tables, control points, TOPO neighbourhoods) is computed once per graph
    and kept with it (:meth:`memo`); a ground-truth graph that is scored
    again keeps them too.
    """

    nodes: np.ndarray
    edges: np.ndarray
    polylines: List[np.ndarray] = field(default_factory=list)
    lengths: Optional[np.ndarray] = None
    _memo: Dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def __post_init__(self):
        self.nodes = np.asarray(self.nodes, dtype=np.float64).reshape(-1, 2)
        self.edges = np.asarray(self.edges, dtype=np.int64).reshape(-1, 2)
        if len(self.polylines) != len(self.edges):
            raise ValueError(f'RoadGraph: {len(self.edges)} edges but '
                             f'{len(self.polylines)} polylines')
        if self.lengths is not None:
            self.lengths = np.asarray(self.lengths, np.float64).reshape(-1)
            if len(self.lengths) != len(self.edges):
                raise ValueError(f'RoadGraph: {len(self.edges)} edges but '
                                 f'{len(self.lengths)} lengths')

    @classmethod
    def empty(cls) -> 'RoadGraph':
        return cls(np.zeros((0, 2)), np.zeros((0, 2), np.int64), [])

    @property
    def num_nodes(self) -> int:
        return len(self.nodes)

    @property
    def num_edges(self) -> int:
        return len(self.edges)

    def memo(self, key: Hashable, build: Callable[['RoadGraph'], Any]) -> Any:
        """``build(self)``, computed on the first call with ``key`` and kept (read only)."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]

    def geometry_lengths(self) -> np.ndarray:
        """(E,) polyline lengths in metres."""
        return self.memo('geometry_lengths', lambda g: np.array(
            [polyline_length(p) for p in g.polylines], dtype=np.float64)).copy()

    def edge_lengths(self) -> np.ndarray:
        """(E,) edge lengths in metres: ``lengths`` when set, else the polylines'."""
        return self.lengths.copy() if self.lengths is not None else self.geometry_lengths()

    def degrees(self) -> np.ndarray:
        """(N,) int64 edges per node; a self-loop counts twice."""
        return np.bincount(self.edges.reshape(-1), minlength=self.num_nodes)

    def total_length(self) -> float:
        return float(self.edge_lengths().sum()) if self.num_edges else 0.0

    def scaled(self, scale: float) -> 'RoadGraph':
        """Copy with all coordinates multiplied by ``scale`` (e.g. pixels -> metres)."""
        return RoadGraph(self.nodes * scale, self.edges.copy(),
                         [p * scale for p in self.polylines],
                         None if self.lengths is None else self.lengths * scale)

    def transformed(self, fn) -> 'RoadGraph':
        """Copy with ``fn`` ((K, 2) -> (K, 2)) applied to every coordinate array.

        Own ``lengths`` are dropped: the new polylines define the lengths.
        """
        return RoadGraph(fn(self.nodes) if self.num_nodes else self.nodes.copy(),
                         self.edges.copy(), [fn(p) for p in self.polylines])

    def adjacency(self, lengths: Optional[np.ndarray] = None) -> csr_matrix:
        """Symmetric (N, N) sparse matrix of edge lengths (shortest among parallel edges)."""
        if lengths is None:
            lengths = self.edge_lengths()
        return length_adjacency(self.edges[:, 0], self.edges[:, 1], lengths,
                                self.num_nodes)


def polyline_length(points: np.ndarray) -> float:
    """Length of a (K, 2) polyline."""
    if len(points) < 2:
        return 0.0
    return float(np.sqrt((np.diff(points, axis=0) ** 2).sum(1)).sum())


def great_circle(lonlat_a: np.ndarray, lonlat_b: np.ndarray) -> np.ndarray:
    """(K,) haversine distances in metres between (K, 2) lon/lat arrays (degrees)."""
    lon1, lat1 = np.deg2rad(lonlat_a).T
    lon2, lat2 = np.deg2rad(lonlat_b).T
    h = np.sin((lat2 - lat1) / 2) ** 2 + \
        np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * np.arcsin(np.sqrt(np.minimum(1.0, h))) * EARTH_RADIUS_M


def length_adjacency(u: np.ndarray, v: np.ndarray, lengths: np.ndarray,
                     num_nodes: int) -> csr_matrix:
    """Symmetric sparse adjacency; parallel edges keep their minimum length.

    Self-loops are dropped (they never shorten a path); zero lengths become
    1e-9 so the sparse matrix keeps them as edges.
    """
    u = np.asarray(u, np.int64)
    v = np.asarray(v, np.int64)
    w = np.maximum(np.asarray(lengths, np.float64), 1e-9)
    keep = u != v
    rows = np.concatenate([u[keep], v[keep]])
    cols = np.concatenate([v[keep], u[keep]])
    w = np.concatenate([w[keep], w[keep]])
    if len(rows):
        order = np.lexsort((w, cols, rows))
        rows, cols, w = rows[order], cols[order], w[order]
        first = np.ones(len(rows), bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, w = rows[first], cols[first], w[first]
    return csr_matrix((w, (rows, cols)), shape=(num_nodes, num_nodes))


def graph_from_polylines(polylines: Sequence[np.ndarray],
                         line_ids: Optional[Sequence[int]] = None,
                         min_component_length: float = 0.0,
                         split_at_line_joints: bool = False,
                         duplicate_segments: str = 'drop',
                         lonlat: Optional[Sequence[np.ndarray]] = None) -> RoadGraph:
    """Build a :class:`RoadGraph` from polylines (each (K, 2)); see the module docstring.

    Args:
        polylines: vertex arrays in metres (or pixels; the graph keeps units).
            Lines with fewer than 2 vertices are ignored.
        line_ids: one id per polyline (default: its index); with
            ``split_at_line_joints`` a degree-2 vertex where two different
            lines meet stays a node.
        min_component_length: drop components whose longest shortest path is
            shorter than this.
        split_at_line_joints: see ``line_ids``.
        duplicate_segments: ``'drop'`` (APLS reference: every copy of a
            repeated segment is removed, its end vertices stay nodes) or
            ``'merge'`` (one copy kept).
        lonlat: the same lines in lon/lat degrees (same vertex counts); edge
            lengths become great-circle lengths.
    """
    if duplicate_segments not in DUPLICATE_SEGMENT_MODES:
        raise ValueError(f'graph_from_polylines: duplicate_segments must be one of '
                         f'{DUPLICATE_SEGMENT_MODES}, got {duplicate_segments!r}')
    polylines = [np.asarray(p, np.float64).reshape(-1, 2) for p in polylines]
    valid = [i for i, p in enumerate(polylines) if len(p) >= 2]
    line_ids = np.arange(len(polylines)) if line_ids is None else np.asarray(line_ids)
    polylines, line_ids = [polylines[i] for i in valid], line_ids[valid]
    if not polylines:
        return RoadGraph.empty()
    verts = np.concatenate(polylines)
    owner = np.concatenate([np.full(len(p), i) for i, p in enumerate(polylines)])
    uniq, first_seen, inverse = np.unique(verts, axis=0, return_index=True,
                                          return_inverse=True)
    # number vertices in order of first appearance
    order = np.argsort(first_seen, kind='stable')
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    uniq, inverse = uniq[order], rank[inverse.reshape(-1)]
    same_line = owner[1:] == owner[:-1]
    seg_u, seg_v = inverse[:-1][same_line], inverse[1:][same_line]
    seg_line = line_ids[owner[:-1][same_line]]
    forced = np.zeros(len(uniq), bool)
    loop = seg_u == seg_v
    forced[seg_u[loop]] = True       # a repeated vertex loops onto itself: a node
    seg_u, seg_v, seg_line = seg_u[~loop], seg_v[~loop], seg_line[~loop]
    # one segment per unordered vertex pair (the first one seen) ...
    lo, hi = np.minimum(seg_u, seg_v), np.maximum(seg_u, seg_v)
    _, first, copies = np.unique(lo * len(uniq) + hi, return_index=True, return_counts=True)
    if duplicate_segments == 'drop':
        # ... or none at all for repeated pairs, whose vertices stay nodes
        forced[seg_u[first[copies > 1]]] = True
        forced[seg_v[first[copies > 1]]] = True
        first = first[copies == 1]
    first = np.sort(first)
    seg_u, seg_v, seg_line = seg_u[first], seg_v[first], seg_line[first]
    node_ids, chains = _merge_chains(len(uniq), seg_u, seg_v, seg_line,
                                     split_at_line_joints, forced)
    remap = -np.ones(len(uniq), np.int64)
    remap[node_ids] = np.arange(len(node_ids))
    edges = np.array([[remap[c[0]], remap[c[-1]]] for c in chains], np.int64)
    lengths = None
    if lonlat is not None:
        ll = np.concatenate([np.asarray(lonlat[i], np.float64)[:, :2] for i in valid])
        lengths = _chain_lengths(chains, ll[np.sort(first_seen)])
    graph = RoadGraph(uniq[node_ids], edges.reshape(-1, 2), [uniq[c] for c in chains],
                      lengths)
    if min_component_length > 0:
        graph = drop_small_components(graph, min_component_length)
    return graph


def _chain_lengths(chains, lonlat):
    """(E,) great-circle lengths of vertex chains, each segment rounded to the millimetre."""
    if not chains:
        return np.zeros(0)
    flat = np.concatenate([np.asarray(c, np.int64) for c in chains])
    sizes = np.array([len(c) for c in chains])
    starts = np.cumsum(sizes) - sizes
    seg = np.r_[np.round(great_circle(lonlat[flat[:-1]], lonlat[flat[1:]]), 3), 0.0]
    seg[starts + sizes - 1] = 0.0      # a chain's last vertex does not lead to the next chain
    return np.add.reduceat(seg, starts)


def _merge_chains(num_verts, seg_u, seg_v, seg_line, split_at_line_joints, forced):
    """Merge runs of degree-2 vertices into chains (see the module docstring).

    ``forced`` (V,) bool marks vertices that stay nodes whatever their degree.
    Returns the node vertices (in vertex order) and the chains (vertex lists).
    """
    incident = [[] for _ in range(num_verts)]
    for s, (a, b) in enumerate(zip(seg_u.tolist(), seg_v.tolist())):
        incident[a].append(s)
        incident[b].append(s)
    lines = seg_line.tolist()
    degree = np.array([len(inc) for inc in incident])
    is_node = (degree != 2) | forced
    if split_at_line_joints:
        for i, inc in enumerate(incident):
            if len(inc) == 2 and lines[inc[0]] != lines[inc[1]]:
                is_node[i] = True
    seg_a, seg_b = seg_u.tolist(), seg_v.tolist()
    used = np.zeros(len(seg_a), bool)
    chains = []

    def walk(start, seg):
        path = [start]
        cur = start
        while True:
            used[seg] = True
            nxt = seg_b[seg] if seg_a[seg] == cur else seg_a[seg]
            path.append(nxt)
            if is_node[nxt]:
                return path
            inc = incident[nxt]
            seg = inc[1] if inc[0] == seg else inc[0]
            cur = nxt

    for v in np.flatnonzero(is_node).tolist():
        for seg in incident[v]:
            if not used[seg]:
                path = walk(v, seg)
                if path[-1] != v:            # a ring through one node only: dropped
                    chains.append(path)
    # rings through no node: every vertex a node, every segment an edge
    for seg in np.flatnonzero(~used).tolist():
        is_node[seg_a[seg]] = is_node[seg_b[seg]] = True
        chains.append([seg_a[seg], seg_b[seg]])
    return np.flatnonzero(is_node & (degree > 0)), chains


def drop_small_components(graph: RoadGraph, min_length: float) -> RoadGraph:
    """Remove components whose longest shortest path is below ``min_length``.

    The longest shortest path is found with two Dijkstra sweeps (exact on
    trees, a close lower bound on graphs with cycles).
    """
    if graph.num_nodes == 0:
        return graph
    adj = graph.adjacency()
    n_comp, label = connected_components(adj, directed=False)
    seeds = np.array([np.flatnonzero(label == c)[0] for c in range(n_comp)])
    far = _farthest_per_component(adj, seeds, label, n_comp)
    dist = dijkstra(adj, directed=False, indices=far, min_only=True)
    diameter = np.zeros(n_comp)
    np.maximum.at(diameter, label, dist)
    keep_nodes = diameter[label] >= min_length
    return subgraph(graph, keep_nodes)


def _farthest_per_component(adj, seeds, label, n_comp):
    """Per component, the node farthest (by path length) from its seed."""
    dist = dijkstra(adj, directed=False, indices=seeds, min_only=True)
    order = np.lexsort((dist, label))
    last = np.flatnonzero(np.r_[label[order][1:] != label[order][:-1], True])
    far = seeds.copy()
    far[label[order][last]] = order[last]
    return far


def subgraph(graph: RoadGraph, keep_nodes: np.ndarray) -> RoadGraph:
    """Keep the nodes flagged in ``keep_nodes`` (N,) and edges between them."""
    keep_nodes = np.asarray(keep_nodes, bool)
    remap = -np.ones(graph.num_nodes, np.int64)
    remap[keep_nodes] = np.arange(int(keep_nodes.sum()))
    keep_edges = keep_nodes[graph.edges[:, 0]] & keep_nodes[graph.edges[:, 1]] \
        if graph.num_edges else np.zeros(0, bool)
    return RoadGraph(graph.nodes[keep_nodes], remap[graph.edges[keep_edges]],
                     [p for p, k in zip(graph.polylines, keep_edges) if k],
                     None if graph.lengths is None else graph.lengths[keep_edges])
