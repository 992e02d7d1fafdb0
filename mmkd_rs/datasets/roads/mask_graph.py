"""Road graph of a mask alone, for the labels of raster-only datasets (DeepGlobe,
Massachusetts): :func:`mask_label_graph`.

The skeleton is split into nodes and chains by the same vectorised tracer the
graph metrics use (:func:`~mmkd_rs.evaluation.graph.skeleton_trace.skeleton_chains`);
only the way chains become edges differs from the metrics'
:func:`~mmkd_rs.evaluation.graph.skeleton_graph.mask_to_graph`, so that the
connectivity labels stay what they have been:

* each end of a chain joins the *nearest* node (by distance to the node's
  centre) among those touching its end pixel, so a one-pixel chain between
  two nodes becomes a self-loop of the nearer one;
* a closed loop without nodes becomes an open line between two adjacent
  end nodes;
* ends closer than 0.75 px are one node and parallel edges keep the longest
  (:func:`~.connectivity_labels.lines_to_graph`);
* spurs are dropped once, without joining the edges left at their base.

The metrics' graph (cleaned mask, loops kept, every parallel edge, spurs
pruned twice and degree-2 nodes merged) gives other junctions and dead ends
on some masks, hence other labels.
"""
import numpy as np

from mmkd_rs.evaluation.graph.road_graph import RoadGraph, subgraph
from mmkd_rs.evaluation.graph.skeleton_trace import OFFSETS, skeleton_chains

from .connectivity_labels import lines_to_graph

#: ends of chains closer than this (px) are one node
SNAP_PX = 0.75


def _walk_order(chain, is_path):
    """Pixels of a path from its end first in raster order. A loop keeps the
    tracer's order, from its first pixel towards its first neighbour in offset
    order: a walk preferring 4-connected steps differs only on a 3-pixel
    triangle, which thinning never leaves."""
    return chain[::-1] if is_path and chain[-1] < chain[0] else chain


def _chain_lines(sk, shape):
    """(K, 2) px polylines (corner origin) of the chains, joined to their end nodes."""
    h, w = shape
    node_xy = sk.node_xy + 0.5
    labels = np.zeros(shape, np.int64)        # node id + 1 on node pixels, 0 elsewhere
    node_pix = np.flatnonzero(sk.is_node)
    labels[sk.xy[node_pix, 1].astype(int), sk.xy[node_pix, 0].astype(int)] = \
        sk.node_of[node_pix] + 1
    lines = []
    for chain, is_path in zip(sk.chains, sk.is_path.tolist()):
        path = _walk_order(chain, is_path)
        pts = list(sk.xy[path] + 0.5)
        for end, where in ((path[0], 0), (path[-1], -1)):
            col, row = (int(v) for v in sk.xy[end])
            # a set as it always was: ties go to the first label in its iteration order
            touching = {int(labels[row + dy, col + dx]) for dy, dx in OFFSETS
                        if 0 <= row + dy < h and 0 <= col + dx < w} - {0}
            if touching:
                nearest = min(touching, key=lambda t: np.hypot(*(node_xy[t - 1] - pts[where])))
                if where == 0:
                    pts.insert(0, node_xy[nearest - 1])
                else:
                    pts.append(node_xy[nearest - 1])
        if len(pts) >= 2:
            lines.append(np.stack(pts))
    return lines


def _add_lone_nodes(graph, node_xy):
    """Nodes of ``node_xy`` farther than SNAP_PX from every graph node (isolated
    dots, ends without a chain) appended, each checked against those before it."""
    from scipy.spatial import cKDTree
    lone = np.ones(len(node_xy), bool)
    if graph.num_nodes and len(node_xy):
        near = cKDTree(graph.nodes).query_ball_point(node_xy, SNAP_PX + 1e-6)
        for n, hits in enumerate(near):
            lone[n] = not any(np.hypot(*(graph.nodes[m] - node_xy[n])) <= SNAP_PX
                              for m in hits)
    extra = []
    for n in np.flatnonzero(lone).tolist():
        if not any(np.hypot(*(xy - node_xy[n])) <= SNAP_PX for xy in extra):
            extra.append(node_xy[n])
    if not extra:
        return graph
    return RoadGraph(np.vstack([graph.nodes, np.stack(extra)]), graph.edges, graph.polylines,
                     graph.lengths)


def mask_label_graph(road_mask, min_edge_px=0):
    """Road graph (px, corner origin) of a binary road mask by skeletonisation.

    Args:
        road_mask (np.ndarray): ``(H, W)``, non-zero = road.
        min_edge_px (float): drop edges shorter than this (px) between a
            degree-1 node and a node of degree >= 3 (skeleton spurs from
            ragged mask borders), then the nodes left without edges.

    Returns:
        RoadGraph: nodes of the skeleton's junction clusters (degree >= 3) and
        ends at the mean of their pixel centres; edges along the chains of
        pixels between them (polylines through pixel centres), with ``lengths``.
    """
    from skimage.morphology import skeletonize

    skel = skeletonize(np.asarray(road_mask) > 0)
    sk = skeleton_chains(skel)
    if len(sk.xy) == 0:
        return RoadGraph.empty()
    graph = lines_to_graph(_chain_lines(sk, skel.shape), snap_px=SNAP_PX)
    graph = _add_lone_nodes(graph, sk.node_xy + 0.5)
    if min_edge_px > 0 and graph.num_edges:
        deg = graph.degrees()
        du, dv = deg[graph.edges[:, 0]], deg[graph.edges[:, 1]]
        spur = (graph.edge_lengths() < min_edge_px) & (np.minimum(du, dv) == 1) & \
            (np.maximum(du, dv) >= 3)
        keep = ~spur
        graph = RoadGraph(graph.nodes, graph.edges[keep],
                          [p for p, k in zip(graph.polylines, keep) if k], graph.lengths[keep])
    if min_edge_px > 0:
        graph = subgraph(graph, graph.degrees() > 0)
    return graph
