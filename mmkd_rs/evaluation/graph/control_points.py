"""Control points on road graphs: placing them along edges, snapping, splitting.

Positions on a :class:`~.road_graph.RoadGraph` are ``(edge index, s)`` with
``s`` the arc length (metres) from the edge's first node. :func:`split_graph`
turns a list of such positions into a length-weighted sparse graph in which
each position is a node, with the conventions of the APLS reference:

* a position at an edge end (``s <= 0`` or ``s >= length``) *is* that end
  node (no new node);
* when several control points land on the same position the last one keeps
  it and the earlier ones count as missing (index -1).
"""
from typing import Tuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from .road_graph import RoadGraph, length_adjacency, polyline_length


def edge_segments(graph: RoadGraph):
    """Flatten all polylines into segments (kept with the graph, read only).

    Returns:
        tuple: seg_a (S, 2), seg_b (S, 2), seg_edge (S,), seg_s0 (S,) arc length
        of the segment start along its edge, edge_len (E,).
    """
    return graph.memo('edge_segments', _edge_segments)


def _edge_segments(graph: RoadGraph):
    seg_a, seg_b, seg_edge, seg_s0, edge_len = [], [], [], [], []
    for e, poly in enumerate(graph.polylines):
        steps = np.sqrt((np.diff(poly, axis=0) ** 2).sum(1))
        cum = np.concatenate([[0.0], np.cumsum(steps)])
        seg_a.append(poly[:-1])
        seg_b.append(poly[1:])
        seg_edge.append(np.full(len(poly) - 1, e))
        seg_s0.append(cum[:-1])
        edge_len.append(cum[-1])
    if not seg_a:
        z = np.zeros((0, 2))
        return z, z, np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
    return (np.concatenate(seg_a), np.concatenate(seg_b), np.concatenate(seg_edge),
            np.concatenate(seg_s0), np.asarray(edge_len))


class PolylineIndex:
    """All edge polylines on one arc-length axis, for vectorised interpolation.

    Edge ``e`` occupies ``[offset[e], offset[e] + length[e]]``; consecutive
    edges are separated by a gap of 1 so positions never straddle two edges.
    :meth:`of` keeps one index with the graph.
    """

    @classmethod
    def of(cls, graph: RoadGraph) -> 'PolylineIndex':
        """The graph's index, built once."""
        return graph.memo(cls, cls)

    def __init__(self, graph: RoadGraph):
        cums, offsets, total = [], [], 0.0
        for poly in graph.polylines:
            cum = np.concatenate([[0.0], np.cumsum(np.sqrt((np.diff(poly, axis=0) ** 2).sum(1)))])
            offsets.append(total)
            cums.append(cum + total)
            total += cum[-1] + 1.0
        self.offset = np.asarray(offsets)
        self.length = np.array([c[-1] - o for c, o in zip(cums, offsets)])
        self.axis = np.concatenate(cums) if cums else np.zeros(0)
        self.xy = np.concatenate(graph.polylines) if cums else np.zeros((0, 2))

    def interpolate(self, edge: np.ndarray, s: np.ndarray) -> np.ndarray:
        """(M,) positions -> (M, 2) coordinates."""
        edge = np.asarray(edge, np.int64)
        if len(edge) == 0:
            return np.zeros((0, 2))
        t = self.offset[edge] + np.clip(s, 0.0, self.length[edge])
        return np.stack([np.interp(t, self.axis, self.xy[:, 0]),
                         np.interp(t, self.axis, self.xy[:, 1])], axis=1)


def interpolate(graph: RoadGraph, edge: np.ndarray, s: np.ndarray) -> np.ndarray:
    """(M,) positions -> (M, 2) coordinates."""
    return PolylineIndex.of(graph).interpolate(edge, s)


def _segment_pieces(graph: RoadGraph, piece: float):
    """Segments cut into pieces of at most ``piece`` m: a KD-tree of their centres."""
    seg_a, seg_b = edge_segments(graph)[:2]
    seg_vec = seg_b - seg_a
    seg_len = np.sqrt((seg_vec ** 2).sum(1))
    n_piece = np.maximum(1, np.ceil(seg_len / piece).astype(np.int64))
    piece_seg = np.repeat(np.arange(len(seg_a)), n_piece)
    first = np.cumsum(n_piece) - n_piece
    frac = (np.arange(len(piece_seg)) - first[piece_seg] + 0.5) / n_piece[piece_seg]
    centres = seg_a[piece_seg] + frac[:, None] * seg_vec[piece_seg]
    half = (seg_len / n_piece).max() / 2.0
    return seg_vec, seg_len, piece_seg, cKDTree(centres), half


def locate_points(graph: RoadGraph, points: np.ndarray,
                  max_distance: float) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest position on ``graph`` of each point, within ``max_distance``.

    Candidate segments come from a KD-tree over short pieces of every segment;
    exact point-segment distances decide. Ties go to the lowest edge index.

    Returns:
        tuple: edge (M,) int (-1 when nothing lies within ``max_distance``),
        s (M,) arc length along that edge, dist (M,) distance (inf if none).
    """
    points = np.asarray(points, np.float64).reshape(-1, 2)
    m = len(points)
    edge = -np.ones(m, np.int64)
    s = np.zeros(m)
    dist = np.full(m, np.inf)
    seg_a, seg_b, seg_edge, seg_s0, _ = edge_segments(graph)
    if m == 0 or len(seg_a) == 0:
        return edge, s, dist
    piece = max(float(max_distance), 1e-3)
    seg_vec, seg_len, piece_seg, tree, half = graph.memo(
        ('segment_pieces', piece), lambda g: _segment_pieces(g, piece))
    hits = tree.query_ball_point(points, max_distance + half + 1e-9)
    counts = np.array([len(h) for h in hits])
    if counts.sum() == 0:
        return edge, s, dist
    p_idx = np.repeat(np.arange(m), counts)
    cand = piece_seg[np.concatenate([np.asarray(h, np.int64) for h in hits if h])]
    pair = np.unique(p_idx * len(seg_a) + cand)
    p_idx, cand = pair // len(seg_a), pair % len(seg_a)
    sq = (seg_len ** 2)[cand]
    rel = points[p_idx] - seg_a[cand]
    t = np.where(sq > 0, (rel * seg_vec[cand]).sum(1) / np.where(sq > 0, sq, 1), 0.0)
    t = np.clip(t, 0.0, 1.0)
    foot = seg_a[cand] + t[:, None] * seg_vec[cand]
    d = np.sqrt(((points[p_idx] - foot) ** 2).sum(1))
    order = np.lexsort((cand, d, p_idx))
    best = order[np.r_[True, p_idx[order][1:] != p_idx[order][:-1]]]
    ok = d[best] <= max_distance
    best = best[ok]
    who = p_idx[best]
    edge[who] = seg_edge[cand[best]]
    s[who] = seg_s0[cand[best]] + t[best] * seg_len[cand[best]]
    dist[who] = d[best]
    return edge, s, dist


def spaced_positions(graph: RoadGraph, spacing: float,
                     curved_eps: float = -1.0) -> Tuple[np.ndarray, np.ndarray]:
    """Interior control positions along edges, reference style.

    With L the edge length (:meth:`RoadGraph.edge_lengths`, great-circle for
    a lon/lat GeoJSON, as the reference's ``length`` attribute): edges with
    L < 0.75 * ``spacing`` get none; edges with L <= ``spacing`` get the
    midpoint of their polyline; longer edges get ceil(L / spacing) - 1
    points at multiples of L / ceil(L / spacing), measured along the
    polyline. With ``curved_eps >= 0`` only curved edges get points: an edge
    is straight when ``|bbox diagonal - L| / L < curved_eps``.

    Returns:
        tuple: edge (P,) and s (P,) arc length along the polyline, in edge order.
    """
    edges, ss = [], []
    for e, (poly, length) in enumerate(zip(graph.polylines, graph.edge_lengths())):
        if length <= 0:
            continue
        if curved_eps >= 0:
            diag = float(np.sqrt(((poly.max(0) - poly.min(0)) ** 2).sum()))
            if abs(diag - length) / length < curved_eps:
                continue
        if length < 0.75 * spacing:
            continue
        if length <= spacing:
            pos = np.array([0.5 * polyline_length(poly)])
        else:
            n_pts = len(np.arange(0.0, length, spacing)) + 1
            pos = np.minimum(np.linspace(0.0, length, n_pts)[1:-1], polyline_length(poly))
        edges.append(np.full(len(pos), e))
        ss.append(pos)
    if not edges:
        return np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(edges), np.concatenate(ss)


def split_graph(graph: RoadGraph, edge: np.ndarray,
                s: np.ndarray) -> Tuple[csr_matrix, np.ndarray]:
    """Insert positions as nodes; return the weighted graph and their node indices.

    Args:
        graph: the graph to split.
        edge: (M,) edge index per position, -1 for "not on the graph".
        s: (M,) arc length along the edge.

    Returns:
        tuple: symmetric (N + K, N + K) csr adjacency of lengths (original
        nodes first, then the K new interior nodes) and (M,) node index of
        each position (-1 when not placed or superseded by a later one).
        Pieces of a split edge weigh their polyline length; an edge left
        whole keeps :meth:`RoadGraph.edge_lengths` (as in the reference).
    """
    edge = np.asarray(edge, np.int64)
    s = np.asarray(s, np.float64)
    n = graph.num_nodes
    m = len(edge)
    lengths = graph.geometry_lengths()
    index = -np.ones(m, np.int64)
    placed = edge >= 0
    e_safe = np.where(placed, edge, 0)
    at_u = placed & (s <= 0)
    at_v = placed & ~at_u & (s >= lengths[e_safe] if len(lengths) else False)
    index[at_u] = graph.edges[edge[at_u], 0]
    index[at_v] = graph.edges[edge[at_v], 1]
    inner = np.flatnonzero(placed & ~at_u & ~at_v)
    # identical interior positions share one new node
    key_e, key_s = edge[inner], s[inner]
    order = np.lexsort((key_s, key_e))
    inner_sorted = inner[order]
    new_pos = np.r_[True, (key_e[order][1:] != key_e[order][:-1])
                    | (key_s[order][1:] != key_s[order][:-1])] if len(inner) else np.zeros(0, bool)
    new_id = n + np.cumsum(new_pos) - 1
    index[inner_sorted] = new_id
    k = int(new_pos.sum())
    # later control points supersede earlier ones at the same node
    taken = index >= 0
    if taken.any():
        rev = np.flatnonzero(taken)[::-1]
        _, first_rev = np.unique(index[rev], return_index=True)
        keep = np.zeros(m, bool)
        keep[rev[first_rev]] = True
        index[~keep] = -1
    # chain every edge through its interior nodes
    u_all, v_all = graph.edges[:, 0], graph.edges[:, 1]
    ins_e = key_e[order][new_pos]
    ins_s = key_s[order][new_pos]
    ins_id = np.arange(n, n + k)
    bp_e = np.concatenate([np.arange(graph.num_edges), ins_e, np.arange(graph.num_edges)])
    bp_s = np.concatenate([np.zeros(graph.num_edges), ins_s, lengths])
    bp_rank = np.concatenate([np.zeros(graph.num_edges), np.ones(k), np.full(graph.num_edges, 2)])
    bp_node = np.concatenate([u_all, ins_id, v_all])
    o = np.lexsort((bp_rank, bp_s, bp_e))
    bp_e, bp_s, bp_node = bp_e[o], bp_s[o], bp_node[o]
    same = bp_e[1:] == bp_e[:-1]
    weight = bp_s[1:] - bp_s[:-1]
    whole = np.bincount(ins_e, minlength=graph.num_edges)[bp_e[:-1]] == 0
    weight[whole] = graph.edge_lengths()[bp_e[:-1][whole]]
    adj = length_adjacency(bp_node[:-1][same], bp_node[1:][same], weight[same], n + k)
    return adj, index
