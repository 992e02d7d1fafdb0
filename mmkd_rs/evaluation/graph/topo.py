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

from .control_points import locate_points
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


def _arc_points(poly, cum, a, b, d_a, d_b, interval, radius):
    """Points on arc [a, b] of a polyline whose path distance is k * interval.

    The distance at arc position x is min(d_a + (x - a), d_b + (b - x)); the
    arc is split at the point where the two are equal, each half owning the
    multiples reached from its end (the split point itself from the a side).
    """
    out = []
    span = b - a
    if not np.isfinite(d_a) and not np.isfinite(d_b):
        return out
    mid = span if not np.isfinite(d_b) else (0.0 if not np.isfinite(d_a)
                                             else np.clip((d_b - d_a + span) / 2, 0, span))
    for d0, lo, hi, sign, origin in ((d_a, 0.0, mid, 1, a), (d_b, 0.0, span - mid, -1, b)):
        if not np.isfinite(d0):
            continue
        k0 = np.ceil(d0 / interval - 1e-9)
        k1 = np.floor(min(d0 + hi, radius) / interval + 1e-9)
        if k1 < k0:
            continue
        off = np.arange(k0, k1 + 1) * interval - d0
        if sign < 0:
            off = off[off < hi - 1e-9]      # the split point belongs to the a side
        x = origin + sign * off
        out.append(np.stack([np.interp(x, cum, poly[:, 0]), np.interp(x, cum, poly[:, 1])], 1))
    return out


class _Prepared:
    """Per-graph arrays reused by every sample: lengths, adjacency, arc lengths."""

    def __init__(self, graph: RoadGraph):
        self.graph = graph
        self.lengths = graph.edge_lengths()
        self.adj = graph.adjacency(self.lengths)
        self.cums = [np.concatenate([[0.0], np.cumsum(np.sqrt((np.diff(p, axis=0) ** 2).sum(1)))])
                     for p in graph.polylines]


def local_points(prep: _Prepared, start_edge: int, start_s: float, interval: float,
                 radius: float) -> np.ndarray:
    """(P, 2) points at path distances 0, interval, ... <= radius from a start position."""
    graph, lengths = prep.graph, prep.lengths
    u0, v0 = graph.edges[start_edge]
    dist = dijkstra(prep.adj, directed=False, indices=[u0, v0],
                    limit=radius + lengths[start_edge])
    node_d = np.minimum(start_s + dist[0], lengths[start_edge] - start_s + dist[1])
    near = np.flatnonzero(np.minimum(node_d[graph.edges[:, 0]], node_d[graph.edges[:, 1]]) <= radius)
    pts = []
    for e in np.union1d(near, [start_edge]).tolist():
        poly, cum = graph.polylines[e], prep.cums[e]
        u, v = graph.edges[e]
        if e == start_edge:
            pts += _arc_points(poly, cum, 0.0, start_s, node_d[u], 0.0, interval, radius)
            pts += _arc_points(poly, cum, start_s, cum[-1], 0.0, node_d[v], interval, radius)
        else:
            pts += _arc_points(poly, cum, 0.0, cum[-1], node_d[u], node_d[v], interval, radius)
    if not pts:
        return np.zeros((0, 2))
    return np.unique(np.round(np.concatenate(pts), 6), axis=0)


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


def _node_position(graph: RoadGraph, node: int):
    """An (edge, s) position of a node."""
    hits = np.flatnonzero(graph.edges[:, 0] == node)
    if len(hits):
        return int(hits[0]), 0.0
    e = int(np.flatnonzero(graph.edges[:, 1] == node)[0])
    return e, float(graph.edge_lengths()[e])


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
    for node in starts.tolist():
        e, s = _node_position(gt, node)
        holes = local_points(gt_prep, e, s, settings.interval, settings.radius)
        pe, ps, _ = locate_points(prop, gt.nodes[node:node + 1], settings.start_snap)
        if pe[0] < 0:
            fn += len(holes)
            continue
        marbles = local_points(prop_prep, int(pe[0]), float(ps[0]), settings.interval,
                               settings.radius)
        m = match_count(holes, marbles, settings.hole_radius)
        tp += m
        fn += len(holes) - m
        fp += len(marbles) - m
    return TopoResult(tp, fp, fn)
