"""Road mask -> road graph: clean, skeletonise, trace, prune spurs, simplify.

:func:`mask_to_graph` returns a :class:`~.road_graph.RoadGraph` in pixel
units (x = column, y = row); scale it with ``graph.scaled(gsd)`` to metres.

Tracing (:func:`~.skeleton_trace.trace_skeleton`, sknw-like): skeleton
pixels with exactly two 8-neighbours are chain pixels; all others (ends,
junctions) are node pixels, and 8-connected node pixels form one node placed
at their mean. Each chain becomes an edge between the nodes it touches; a
closed loop without node pixels gets a node at one of its pixels.
Edges are then joined through nodes of degree 2 (also where pruned spurs
leave one); ``keep_skeleton_nodes=True`` splits them there again after
pruning (:func:`split_at_points`), so that every traced node an edge passes
through stays a node, as the road label graphs keep them.
"""
from typing import Optional

import numpy as np
from scipy import ndimage

from .road_graph import RoadGraph, polyline_length, subgraph
from .skeleton_trace import trace_skeleton  # noqa: F401  (re-exported)


def clean_mask(mask: np.ndarray, min_object_area: int = 0, max_hole_area: int = 0) -> np.ndarray:
    """Drop objects under ``min_object_area`` px; fill holes up to ``max_hole_area`` px."""
    mask = np.asarray(mask, bool)
    if min_object_area > 0:
        lab, n = ndimage.label(mask, structure=np.ones((3, 3)))
        if n:
            area = np.bincount(lab.reshape(-1), minlength=n + 1)
            small = area < min_object_area
            small[0] = False
            mask = mask & ~small[lab]
    if max_hole_area > 0:
        lab, n = ndimage.label(~mask)
        if n:
            area = np.bincount(lab.reshape(-1), minlength=n + 1)
            border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
            hole = area <= max_hole_area
            hole[0] = False
            hole[border] = False
            mask = mask | hole[lab]
    return mask


def cleaned_skeleton(road: np.ndarray, cleaned: np.ndarray,
                     road_skeleton: np.ndarray) -> np.ndarray:
    """Skeleton of ``cleaned`` (:func:`clean_mask` of ``road``) from ``road_skeleton``.

    Thinning decides each pixel from its 3 x 3 neighbourhood, so 8-connected
    components are thinned independently: components that cleaning dropped
    lose their skeleton, untouched ones keep theirs, and only components with
    filled holes are thinned again (each on its bounding box). The result
    equals ``skeletonize(cleaned)``.
    """
    skel = road_skeleton & cleaned
    filled = cleaned & ~road
    if not filled.any():
        return skel
    from skimage.morphology import skeletonize
    labels, _ = ndimage.label(cleaned, structure=np.ones((3, 3)))
    boxes = ndimage.find_objects(labels)
    for lab in np.unique(labels[filled]).tolist():
        box = boxes[lab - 1]
        own = labels[box] == lab
        skel[box] = np.where(own, skeletonize(own), skel[box])
    return skel


def prune_spurs(graph: RoadGraph, min_spur_length: float, iterations: int = 2) -> RoadGraph:
    """Drop dead-end edges shorter than ``min_spur_length`` (an isolated edge is kept)."""
    for _ in range(iterations):
        if graph.num_edges == 0:
            break
        deg = graph.degrees()
        lengths = graph.edge_lengths()
        u, v = graph.edges[:, 0], graph.edges[:, 1]
        dead_u, dead_v = deg[u] == 1, deg[v] == 1
        spur = (dead_u ^ dead_v) & (lengths < min_spur_length) & (u != v)
        if not spur.any():
            break
        keep = ~spur
        graph = RoadGraph(graph.nodes, graph.edges[keep],
                          [p for p, k in zip(graph.polylines, keep) if k])
        graph = merge_degree2(graph)
    return graph


def merge_degree2(graph: RoadGraph) -> RoadGraph:
    """Join edges through nodes of degree 2 and drop nodes without edges."""
    edges = graph.edges.tolist()
    polys = list(graph.polylines)
    alive = [True] * len(edges)
    incident = [[] for _ in range(graph.num_nodes)]
    for e, (a, b) in enumerate(edges):
        incident[a].append(e)
        incident[b].append(e)
    for n in range(graph.num_nodes):
        inc = [e for e in incident[n] if alive[e]]
        if len(inc) != 2 or inc[0] == inc[1]:
            continue
        e1, e2 = inc
        a1, b1 = edges[e1]
        a2, b2 = edges[e2]
        if a1 == b1 or a2 == b2:
            continue
        p1 = polys[e1] if b1 == n else polys[e1][::-1]
        p2 = polys[e2] if a2 == n else polys[e2][::-1]
        s1 = a1 if b1 == n else b1
        s2 = b2 if a2 == n else a2
        edges[e1] = [s1, s2]
        polys[e1] = np.concatenate([p1, p2[1:]])
        alive[e2] = False
        for node in (s2,):
            incident[node] = [e1 if e == e2 else e for e in incident[node]]
        incident[n] = []
    keep = np.array(alive, bool)
    g = RoadGraph(graph.nodes, np.asarray(edges, np.int64).reshape(-1, 2)[keep],
                  [p for p, k in zip(polys, alive) if k])
    used = np.zeros(g.num_nodes, bool)
    used[g.edges.reshape(-1)] = True
    return subgraph(g, used)


def split_at_points(graph: RoadGraph, points: np.ndarray) -> RoadGraph:
    """Split edges where an interior polyline vertex equals one of ``points`` (K, 2).

    Each such point becomes a node (the first graph node at exactly that
    position, else a new one appended in order of first appearance) and the
    pieces replace their edge in place, in polyline order.
    """
    points = np.asarray(points, np.float64).reshape(-1, 2)
    if graph.num_edges == 0 or len(points) == 0:
        return graph
    sizes = np.array([len(p) for p in graph.polylines])
    xy = np.concatenate(graph.polylines)
    hit = np.isin(xy[:, 0] + 1j * xy[:, 1], points[:, 0] + 1j * points[:, 1])
    first = np.cumsum(sizes) - sizes
    hit[first] = hit[first + sizes - 1] = False         # end points split nothing
    if not hit.any():
        return graph
    at = np.flatnonzero(hit)
    edge_of = np.repeat(np.arange(graph.num_edges), sizes)[at]
    cuts = np.split(at - first[edge_of], np.searchsorted(edge_of, np.arange(1, graph.num_edges)))
    nodes = graph.nodes.tolist()
    node_at = {}
    for n, pt in enumerate(nodes):
        node_at.setdefault(tuple(pt), n)
    edges, polys = [], []
    for (u, v), poly, cut in zip(graph.edges.tolist(), graph.polylines, cuts):
        if len(cut) == 0:
            edges.append((u, v))
            polys.append(poly)
            continue
        ends = [u]
        for i in cut.tolist():
            pt = tuple(poly[i].tolist())
            if pt not in node_at:
                node_at[pt] = len(nodes)
                nodes.append(list(pt))
            ends.append(node_at[pt])
        ends.append(v)
        bounds = [0] + cut.tolist() + [len(poly) - 1]
        for k in range(len(bounds) - 1):
            edges.append((ends[k], ends[k + 1]))
            polys.append(poly[bounds[k]:bounds[k + 1] + 1])
    return RoadGraph(np.asarray(nodes), np.asarray(edges, np.int64).reshape(-1, 2), polys)


def simplify_polylines(graph: RoadGraph, tolerance: float) -> RoadGraph:
    """Douglas-Peucker on every edge polyline (end points kept)."""
    if tolerance <= 0 or graph.num_edges == 0:
        return graph
    import shapely
    polys = [p if len(p) > 1 else np.repeat(p, 2, 0) for p in graph.polylines]
    lines = shapely.linestrings(np.concatenate(polys),
                                indices=np.repeat(np.arange(len(polys)), [len(p) for p in polys]))
    simple = shapely.simplify(lines, tolerance, preserve_topology=False)
    out = []
    for orig, geom in zip(graph.polylines, simple):
        pts = shapely.get_coordinates(geom)
        if len(pts) < 2:
            pts = orig[[0, -1]]
        out.append(pts)
    return RoadGraph(graph.nodes, graph.edges, out)


def mask_to_graph(mask: np.ndarray, threshold: Optional[float] = None,
                  min_object_area: int = 20, max_hole_area: int = 20,
                  min_spur_length: float = 10.0, simplify_tolerance: float = 1.0,
                  min_edge_length: float = 0.0,
                  skeleton: Optional[np.ndarray] = None,
                  keep_skeleton_nodes: bool = False) -> RoadGraph:
    """Binary (or probability) road mask (H, W) -> RoadGraph in pixels.

    Args:
        mask: road mask; values > ``threshold`` are road (default: > 0 for
            integer/bool masks, > 0.5 for float masks).
        min_object_area / max_hole_area: cleaning, in pixels.
        min_spur_length: dead-end branches shorter than this (px) are pruned.
        simplify_tolerance: Douglas-Peucker tolerance (px).
        min_edge_length: isolated edges (both ends dead) shorter than this
            (px) are dropped.
        skeleton: skeleton of ``mask > threshold`` before cleaning, when the
            caller has it (the pixel scores need it too); the cleaned mask's
            skeleton is then derived from it (:func:`cleaned_skeleton`)
            instead of thinning the whole mask again. Same graph either way.
        keep_skeleton_nodes: split the final edges again at the traced nodes
            they pass through (nodes of degree 2 of the skeleton, bases of
            pruned spurs), before simplification; spurs are still measured
            along the joined edges.
    """
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f'mask_to_graph: expected a (H, W) mask, got shape {mask.shape}')
    if threshold is None:
        threshold = 0.5 if np.issubdtype(mask.dtype, np.floating) else 0
    raw = mask > threshold
    road = clean_mask(raw, min_object_area, max_hole_area)
    if not road.any():
        return RoadGraph.empty()
    if skeleton is None:
        from skimage.morphology import skeletonize
        skeleton = skeletonize(road)
    else:
        skeleton = cleaned_skeleton(raw, road, np.asarray(skeleton, bool))
    traced = trace_skeleton(skeleton)
    graph = merge_degree2(traced)
    if min_spur_length > 0:
        graph = prune_spurs(graph, min_spur_length)
    if min_edge_length > 0 and graph.num_edges:
        deg = graph.degrees()
        lengths = np.array([polyline_length(p) for p in graph.polylines])
        lone = (deg[graph.edges[:, 0]] == 1) & (deg[graph.edges[:, 1]] == 1)
        keep = ~(lone & (lengths < min_edge_length))
        graph = merge_degree2(RoadGraph(graph.nodes, graph.edges[keep],
                                        [p for p, k in zip(graph.polylines, keep) if k]))
    if keep_skeleton_nodes:
        graph = split_at_points(graph, traced.nodes)
    return simplify_polylines(graph, simplify_tolerance)
