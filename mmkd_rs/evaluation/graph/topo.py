"""TOPO: holes-and-marbles comparison of local sub-graphs (metres).

For each of ``num_samples`` start nodes drawn from the ground truth (seeded):

1. holes: points on the ground-truth graph whose path distance from the
   start is a multiple of ``interval`` and at most ``radius`` (the start
   itself included);
2. the start is snapped onto the proposal (nearest point within
   ``start_snap`` m); marbles are placed the same way on the proposal. When
   the start cannot be snapped there are no marbles and every hole is a
   false negative;
3. holes and marbles are matched one-to-one within ``hole_radius`` m,
   closest pairs first: matched = true positives, unmatched marbles = false
   positives, unmatched holes = false negatives.

Counts are summed over all samples; precision = tp / (tp + fp),
recall = tp / (tp + fn), F1 their harmonic mean (0 when undefined). The same
seed always gives the same result; empty graphs give all zeros.
"""
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from .control_points import PolylineIndex, locate_points
from .road_graph import RoadGraph


@dataclass(frozen=True)
class TopoSettings:
    radius: float = 150.0
    interval: float = 30.0
    hole_radius: float = 4.0
    start_snap: float = 15.0
    num_samples: int = 20


@dataclass
class TopoResult:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return dict(topo_precision=self.precision, topo_recall=self.recall,
                    topo_f1=self.f1)


class _Prepared:
    """Per-graph arrays reused by every sample: lengths, adjacency, arc index."""

    def __init__(self, graph: RoadGraph):
        self.graph = graph
        self.index = PolylineIndex(graph)
        self.lengths = self.index.length
        self.adj = graph.adjacency(self.lengths)


def _arc_points(index, edge, a, b, d_a, d_b, interval, radius):
    """Points on arcs [a, b] of edges whose path distance is a multiple of ``interval``.

    On an arc the distance at position x is min(d_a + (x - a), d_b + (b - x));
    the arc is split where both are equal, each half taking the multiples
    reached from its own end (the split point goes to the a side). All
    arguments are (A,) arrays; returns (P, 2) points.
    """
    span = b - a
    fa, fb = np.isfinite(d_a), np.isfinite(d_b)
    da, db = np.where(fa, d_a, 0.0), np.where(fb, d_b, 0.0)
    mid = np.where(fa & fb, np.clip((db - da + span) / 2, 0, span), np.where(fa, span, 0.0))
    edges, pos = [], []
    for ok, d0, reach, sign, origin, strict in ((fa, da, mid, 1.0, a, False),
                                               (fb, db, span - mid, -1.0, b, True)):
        k0 = np.ceil(d0 / interval - 1e-9)
        k1 = np.floor(np.minimum(d0 + reach, radius) / interval + 1e-9)
        n = np.where(ok, np.maximum(k1 - k0 + 1, 0), 0).astype(np.int64)
        arc = np.repeat(np.arange(len(edge)), n)
        k = k0[arc] + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
        off = k * interval - d0[arc]
        if strict:   # the split point itself belongs to the a side
            keep = off < reach[arc] - 1e-9
            arc, off = arc[keep], off[keep]
        edges.append(edge[arc])
        pos.append(origin[arc] + sign * off)
    return index.interpolate(np.concatenate(edges), np.concatenate(pos))


def local_points(prep: _Prepared, start_edge: int, start_s: float, interval: float,
                 radius: float) -> np.ndarray:
    """(P, 2) points at path distances 0, interval, ... <= radius from a start position."""
    graph, lengths = prep.graph, prep.lengths
    u0, v0 = graph.edges[start_edge]
    dist = dijkstra(prep.adj, directed=False, indices=[u0, v0],
                    limit=radius + lengths[start_edge])
    node_d = np.minimum(start_s + dist[0], lengths[start_edge] - start_s + dist[1])
    du, dv = node_d[graph.edges[:, 0]], node_d[graph.edges[:, 1]]
    near = np.flatnonzero(np.minimum(du, dv) <= radius)
    near = near[near != start_edge]
    le = lengths[start_edge]
    edge = np.concatenate([near, [start_edge, start_edge]]).astype(np.int64)
    a = np.concatenate([np.zeros(len(near)), [0.0, start_s]])
    b = np.concatenate([lengths[near], [start_s, le]])
    d_a = np.concatenate([du[near], [du[start_edge], 0.0]])
    d_b = np.concatenate([dv[near], [0.0, dv[start_edge]]])
    pts = _arc_points(prep.index, edge, a, b, d_a, d_b, interval, radius)
    if len(pts) == 0:
        return np.zeros((0, 2))
    return np.unique(np.round(pts, 6), axis=0)


def match_count(holes: np.ndarray, marbles: np.ndarray, radius: float) -> int:
    """One-to-one matches within ``radius``, closest pairs first."""
    if len(holes) == 0 or len(marbles) == 0:
        return 0
    pairs = cKDTree(holes).sparse_distance_matrix(cKDTree(marbles), radius,
                                                   output_type='ndarray')
    if len(pairs) == 0:
        return 0
    pairs = pairs[np.lexsort((pairs['j'], pairs['i'], pairs['v']))]
    used_h = np.zeros(len(holes), bool)
    used_m = np.zeros(len(marbles), bool)
    n = 0
    for i, j in zip(pairs['i'].tolist(), pairs['j'].tolist()):
        if not used_h[i] and not used_m[j]:
            used_h[i] = used_m[j] = True
            n += 1
    return n


def _node_position(prep: '_Prepared', node: int):
    """An (edge, s) position of a node."""
    edges = prep.graph.edges
    hits = np.flatnonzero(edges[:, 0] == node)
    if len(hits):
        return int(hits[0]), 0.0
    e = int(np.flatnonzero(edges[:, 1] == node)[0])
    return e, float(prep.lengths[e])


def topo_score(gt: RoadGraph, prop: RoadGraph, settings: TopoSettings = TopoSettings(),
               seed: int = 0) -> TopoResult:
    """TOPO counts of ``prop`` against ``gt``; see the module docstring."""
    if gt.num_edges == 0 or prop.num_edges == 0:
        return TopoResult(0, 0, 0)
    rng = np.random.default_rng(seed)
    candidates = np.unique(gt.edges.reshape(-1))
    starts = rng.choice(candidates, size=min(settings.num_samples, len(candidates)),
                        replace=False)
    gt_prep, prop_prep = _Prepared(gt), _Prepared(prop)
    tp = fp = fn = 0
    snap_e, snap_s, _ = locate_points(prop, gt.nodes[starts], settings.start_snap)
    for node, pe, ps in zip(starts.tolist(), snap_e.tolist(), snap_s.tolist()):
        e, s = _node_position(gt_prep, node)
        holes = local_points(gt_prep, e, s, settings.interval, settings.radius)
        if pe < 0:
            fn += len(holes)
            continue
        marbles = local_points(prop_prep, pe, ps, settings.interval, settings.radius)
        m = match_count(holes, marbles, settings.hole_radius)
        tp += m
        fn += len(holes) - m
        fp += len(marbles) - m
    return TopoResult(tp, fp, fn)
