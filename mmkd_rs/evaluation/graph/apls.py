"""APLS (Average Path Length Similarity) between two road graphs in metres.

For one direction (source graph S onto target graph T):

1. control points of S = its nodes plus points along its edges
   (:func:`~.control_points.spaced_positions`: every ``control_spacing`` m
   of edge length, which for a lon/lat GeoJSON is the great-circle length
   as in the reference; the older setting puts them only on curved edges,
   every 200 m);
2. every control point is snapped onto T (nearest point within
   ``snap_radius`` m), splitting T's edges there; a point landing on an
   existing node becomes that node, and when several land on the same spot
   the last one keeps it (the earlier ones count as not snapped);
3. for every ordered pair (a, b) of control points connected in S with
   path length L >= ``min_path_length``, the term is
   ``min(1, |L - L'| / L)`` with L' the path length between their snapped
   copies in T; a pair whose copy is missing or disconnected in T scores 1.
   A control point that could not be snapped scores 1 for every other
   point it reaches in S, whatever the length;
4. C = 1 - mean of the terms.

APLS is the harmonic mean of C(ground truth -> proposal) and
C(proposal -> ground truth), and 0 when either is 0.

Empty graphs (reference convention): when the ground truth or the proposal
has no node, APLS and both directions are 0 (so an empty proposal for an
empty ground truth also scores 0). A direction with no pair to compare
scores 0.

Path lengths come from ``scipy.sparse.csgraph.dijkstra`` run from all
control nodes at once (in blocks of ``BLOCK`` start points, so memory stays
bounded on large graphs). Pieces of an edge split at control points weigh
their polyline length, an edge left whole its
:meth:`~.road_graph.RoadGraph.edge_lengths` (the reference does the same).
On the shared SpaceNet 3 samples the scores match the reference within 5e-5.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .control_points import interpolate, locate_points, spaced_positions, split_graph
from .road_graph import RoadGraph


@dataclass(frozen=True)
class APLSSettings:
    """Reference defaults: control points every 50 m on every edge, snap 4 m.

    ``min_path_length`` (metres) is the reference command line's default
    (0.001 m: every pair of distinct connected control points is a route);
    its library functions default to 10 m, which drops the routes between
    close control points and moves scores by up to ~0.02.
    """

    control_spacing: float = 50.0
    curved_eps: float = -1.0
    snap_radius: float = 4.0
    min_path_length: float = 0.001

    @classmethod
    def old(cls) -> 'APLSSettings':
        """The older reference setting: midpoints every 200 m, curved edges only.

        With either setting the reference switches, for ground truths of 500
        nodes or more, to 500 randomly drawn nodes and no edge points; that
        step is not reproduced (all control points are used, so results stay
        deterministic).
        """
        return cls(control_spacing=200.0, curved_eps=0.12)


@dataclass
class APLSResult:
    apls: float
    gt_to_prop: float
    prop_to_gt: float
    num_gt_control: int
    num_prop_control: int

    def as_dict(self) -> dict:
        return dict(apls=self.apls, apls_gt_to_prop=self.gt_to_prop,
                    apls_prop_to_gt=self.prop_to_gt)


#: Start points per Dijkstra block: bounds memory to ~BLOCK x M floats per graph.
BLOCK = 1024


@dataclass
class ControlledGraph:
    """A graph with its own control points, split at them.

    ``adj`` is the length-weighted graph split at the control points and
    ``index[i]`` the node of control point ``i`` in it.
    """

    points: np.ndarray      # (M, 2) control point coordinates
    adj: object             # (N', N') csr adjacency
    index: np.ndarray       # (M,) node of each control point

    def lengths(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), M) native path lengths (inf when disconnected)."""
        return dijkstra(self.adj, directed=False, indices=self.index[rows])[:, self.index]


def with_control_points(graph: RoadGraph, settings: APLSSettings) -> ControlledGraph:
    """Nodes + spaced edge points of ``graph``, as a split graph (kept with the graph)."""
    key = ('control_points', settings.control_spacing, settings.curved_eps)
    return graph.memo(key, lambda g: _with_control_points(g, settings))


def _with_control_points(graph: RoadGraph, settings: APLSSettings) -> ControlledGraph:
    edge, s = spaced_positions(graph, settings.control_spacing, settings.curved_eps)
    adj, mid_index = split_graph(graph, edge, s)
    ctrl = np.concatenate([np.arange(graph.num_nodes), mid_index])
    points = np.concatenate([graph.nodes, interpolate(graph, edge, s)])
    return ControlledGraph(points, adj, ctrl)


def snap_onto(points: np.ndarray, target: RoadGraph, snap_radius: float):
    """Snap ``points`` onto ``target`` (split there); index -1 = not snapped / superseded."""
    edge, s, _ = locate_points(target, points, snap_radius)
    return split_graph(target, edge, s)


def direction_score(source: ControlledGraph, target: RoadGraph, snap_radius: float,
                    min_path_length: float, block: int = BLOCK) -> float:
    """C(source -> target) = 1 - mean route term; Dijkstra in blocks of start points."""
    m = len(source.points)
    adj, index = snap_onto(source.points, target, snap_radius)
    snapped = index >= 0
    total = 0.0
    count = 0
    for start in range(0, m, block):
        rows = np.arange(start, min(start + block, m))
        native = source.lengths(rows)
        reach = np.isfinite(native)
        missing = ~snapped[rows]
        # a start that is not on the other graph: every other reachable end scores 1
        n_missing = int(reach[missing].sum()) - int(missing.sum())
        total += n_missing
        count += n_missing
        ok = rows[~missing]
        if len(ok) == 0:
            continue
        nat = native[~missing]
        prime = np.full_like(nat, np.inf)
        prime[:, snapped] = dijkstra(adj, directed=False, indices=index[ok])[:, index[snapped]]
        routes = np.isfinite(nat) & (nat >= min_path_length)
        found = routes & np.isfinite(prime)
        with np.errstate(invalid='ignore', divide='ignore'):
            term = np.minimum(1.0, np.abs(nat - prime) / nat)
        total += float(term[found].sum()) + float((routes & ~found).sum())
        count += int(routes.sum())
    return 1.0 - total / count if count else 0.0


def apls_score(gt: RoadGraph, prop: RoadGraph,
               settings: Optional[APLSSettings] = None) -> APLSResult:
    """APLS of ``prop`` against ``gt`` (both in metres); see the module docstring."""
    settings = settings or APLSSettings()
    if gt.num_nodes == 0 or prop.num_nodes == 0:
        return APLSResult(0.0, 0.0, 0.0, 0, 0)
    gt_c = with_control_points(gt, settings)
    prop_c = with_control_points(prop, settings)
    c_gp = direction_score(gt_c, prop, settings.snap_radius, settings.min_path_length)
    c_pg = direction_score(prop_c, gt, settings.snap_radius, settings.min_path_length)
    total = 0.0 if c_gp <= 0 or c_pg <= 0 else 2.0 * c_gp * c_pg / (c_gp + c_pg)
    return APLSResult(total, c_gp, c_pg, len(gt_c.points), len(prop_c.points))
