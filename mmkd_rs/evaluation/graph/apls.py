"""APLS (Average Path Length Similarity) between two road graphs in metres.

For one direction (source graph S onto target graph T):

1. control points of S = its nodes plus points along its edges
   (:func:`~.control_points.spaced_positions`: every ``control_spacing`` m;
   the older setting puts them only on curved edges, every 200 m);
2. every control point is snapped onto T (nearest point within
   ``snap_radius`` m), splitting T's edges there;
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

All-pairs path lengths come from one ``scipy.sparse.csgraph.dijkstra`` call
per graph over all control nodes at once.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .control_points import interpolate, locate_points, spaced_positions, split_graph
from .road_graph import RoadGraph


@dataclass(frozen=True)
class APLSSettings:
    """Reference defaults: control points every 50 m on every edge, snap 4 m."""

    control_spacing: float = 50.0
    curved_eps: float = -1.0
    snap_radius: float = 4.0
    min_path_length: float = 10.0

    @classmethod
    def old(cls) -> 'APLSSettings':
        """The older reference setting: midpoints every 200 m, curved edges only."""
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


@dataclass
class ControlledGraph:
    """A graph with its own control points: native path lengths between them."""

    graph: RoadGraph
    points: np.ndarray      # (M, 2) control point coordinates
    lengths: np.ndarray     # (M, M) native path lengths, inf when disconnected


def with_control_points(graph: RoadGraph, settings: APLSSettings) -> ControlledGraph:
    """Nodes + spaced edge points of ``graph`` and their all-pairs path lengths."""
    if graph.num_nodes == 0:
        return ControlledGraph(graph, np.zeros((0, 2)), np.zeros((0, 0)))
    edge, s = spaced_positions(graph, settings.control_spacing, settings.curved_eps)
    adj, mid_index = split_graph(graph, edge, s)
    ctrl = np.concatenate([np.arange(graph.num_nodes), mid_index])
    points = np.concatenate([graph.nodes, interpolate(graph, edge, s)])
    lengths = dijkstra(adj, directed=False, indices=ctrl)[:, ctrl]
    return ControlledGraph(graph, points, lengths)


def snapped_lengths(points: np.ndarray, target: RoadGraph,
                    snap_radius: float) -> np.ndarray:
    """(M, M) path lengths in ``target`` between the snapped copies of ``points``.

    Rows/columns of points that could not be snapped (or were superseded) are
    NaN; disconnected pairs are inf.
    """
    m = len(points)
    out = np.full((m, m), np.nan)
    if m == 0 or target.num_nodes == 0:
        return out
    edge, s, _ = locate_points(target, points, snap_radius)
    adj, index = split_graph(target, edge, s)
    ok = np.flatnonzero(index >= 0)
    if len(ok):
        out[np.ix_(ok, ok)] = dijkstra(adj, directed=False, indices=index[ok])[:, index[ok]]
    return out


def direction_score(native: np.ndarray, snapped: np.ndarray,
                    min_path_length: float) -> float:
    """C = 1 - mean route term, from native (M, M) and snapped (M, M) lengths."""
    if native.size == 0:
        return 0.0
    reach = np.isfinite(native)
    missing_start = np.isnan(snapped).all(axis=1)
    # start point not on the other graph: every other reachable end scores 1
    n_missing_terms = int(reach[missing_start].sum()) - int(missing_start.sum())
    rows = ~missing_start
    nat = native[rows]
    snp = snapped[rows]
    routes = reach[rows] & (nat >= min_path_length)
    found = routes & np.isfinite(snp)
    with np.errstate(invalid='ignore', divide='ignore'):
        term = np.minimum(1.0, np.abs(nat - snp) / nat)
    total = float(term[found].sum()) + float((routes & ~found).sum()) + n_missing_terms
    count = int(routes.sum()) + n_missing_terms
    if count == 0:
        return 0.0
    return 1.0 - total / count


def apls_score(gt: RoadGraph, prop: RoadGraph,
               settings: Optional[APLSSettings] = None) -> APLSResult:
    """APLS of ``prop`` against ``gt`` (both in metres); see the module docstring."""
    settings = settings or APLSSettings()
    if gt.num_nodes == 0 or prop.num_nodes == 0:
        return APLSResult(0.0, 0.0, 0.0, 0, 0)
    gt_c = with_control_points(gt, settings)
    prop_c = with_control_points(prop, settings)
    c_gp = direction_score(gt_c.lengths,
                           snapped_lengths(gt_c.points, prop, settings.snap_radius),
                           settings.min_path_length)
    c_pg = direction_score(prop_c.lengths,
                           snapped_lengths(prop_c.points, gt, settings.snap_radius),
                           settings.min_path_length)
    total = 0.0 if c_gp <= 0 or c_pg <= 0 else 2.0 * c_gp * c_pg / (c_gp + c_pg)
    return APLSResult(total, c_gp, c_pg, len(gt_c.points), len(prop_c.points))
