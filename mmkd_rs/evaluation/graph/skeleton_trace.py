"""Skeleton (H, W) bool -> RoadGraph in pixel units, vectorised (sknw-like).

Skeleton pixels with exactly two 8-neighbours are chain pixels; all others
(ends, junctions) are node pixels, and 8-connected node pixels form one node
placed at their mean (nodes numbered in raster order of their first pixel).
The chain pixels split into paths and closed loops:

* a path becomes one edge between the nodes touching its two ends, its
  polyline running from the start node through the path's pixels to the end
  node. The start is the end whose touching node pixel comes first in raster
  order (ties, one node pixel touching both ends: the first of the 8
  neighbour offsets); edges are numbered in the same order. A one-pixel path
  between two pixels of the same node gives no edge; a longer path back to
  its own node gives a self-loop;
* a loop without node pixels gets a node at its first pixel in raster order
  and one self-loop edge, traced from that pixel towards its first neighbour
  in offset order; these come after the path edges and nodes, in raster
  order.

This is the order a pixel-by-pixel walk over node pixels in raster order
produces; here the paths are ordered by one breadth-first pass over all of
them (scipy.sparse.csgraph) instead of a Python loop over pixels.
"""
from typing import List, NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from .road_graph import RoadGraph

#: the 8 neighbour offsets (dy, dx), raster order; offset k and 7 - k are opposite
OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def _pixel_neighbours(skel: np.ndarray):
    """Skeleton pixels in raster order: (P, 2) x, y and (P, 8) neighbour pixel
    id per offset (-1 = none). Only the skeleton's own pixels are touched."""
    rows, cols = np.nonzero(np.asarray(skel, bool))
    w = skel.shape[1] + 2                          # flat index in the 1-pixel padded image
    flat = (rows + 1) * w + cols + 1
    nbr = np.empty((len(flat), 8), np.int64)
    for k, (dy, dx) in enumerate(OFFSETS):
        target = flat + dy * w + dx
        pos = np.minimum(np.searchsorted(flat, target), max(len(flat) - 1, 0))
        nbr[:, k] = np.where(flat[pos] == target, pos, -1) if len(flat) else pos
    return np.stack([cols, rows], axis=1).astype(np.float64), nbr


def _first_seen_labels(comp: np.ndarray) -> np.ndarray:
    """Component labels renumbered 0, 1, ... in order of their first element."""
    _, first, inverse = np.unique(comp, return_index=True, return_inverse=True)
    rank = np.empty(len(first), np.int64)
    rank[np.argsort(first, kind='stable')] = np.arange(len(first))
    return rank[inverse.reshape(-1)]


def _label(nbr: np.ndarray, is_node: np.ndarray):
    """Node id of node pixels and chain id of chain pixels (-1 elsewhere), both
    numbered by first pixel in raster order; plus the (pixel, offset, neighbour)
    triples of chain pixels."""
    num = len(nbr)
    pix, slot = np.nonzero(nbr >= 0)                 # pixel order, then offset order
    other = nbr[pix, slot]
    same = is_node[pix] == is_node[other]          # node-node and chain-chain links
    link = csr_matrix((np.ones(int(same.sum())), (pix[same], other[same])), shape=(num, num))
    comp = connected_components(link, directed=False)[1]
    node_of, chain_of = -np.ones(num, np.int64), -np.ones(num, np.int64)
    for out, where in ((node_of, is_node), (chain_of, ~is_node)):
        if where.any():
            out[where] = _first_seen_labels(comp[where])
    chain = ~is_node[pix]
    return node_of, chain_of, pix[chain], slot[chain], other[chain]


def _starts(pix, slot, other, is_node, node_of, chain_of, n_chain):
    """Per chain: path or loop, start pixel, start / end node, start key.

    A path's start is the end pixel whose touching node pixel comes first
    (key = node pixel * 8 + offset from it); a loop starts at its first pixel.
    """
    touch = is_node[other]
    t_pix, t_node, t_key = pix[touch], other[touch], other[touch] * 8 + (7 - slot[touch])
    t_chain = chain_of[t_pix]
    order = np.lexsort((t_key, t_chain))
    t_pix, t_node, t_key, t_chain = t_pix[order], t_node[order], t_key[order], t_chain[order]
    change = t_chain[1:] != t_chain[:-1]
    none = np.zeros(0, bool)
    first = np.r_[True, change] if len(t_chain) else none
    last = np.r_[change, True] if len(t_chain) else none
    is_path = np.zeros(n_chain, bool)
    is_path[t_chain] = True
    start_pix, start_node, end_node = (-np.ones(n_chain, np.int64) for _ in range(3))
    start_key = np.full(n_chain, np.iinfo(np.int64).max)
    start_pix[t_chain[first]] = t_pix[first]
    start_node[t_chain[first]] = node_of[t_node[first]]
    end_node[t_chain[last]] = node_of[t_node[last]]
    start_key[t_chain[first]] = t_key[first]
    chain_pix = np.flatnonzero(chain_of >= 0)
    first_pix = np.full(n_chain, len(chain_of), np.int64)
    np.minimum.at(first_pix, chain_of[chain_pix], chain_pix)
    start_pix[~is_path] = first_pix[~is_path]
    return is_path, start_pix, start_node, end_node, start_key


def _ordered_pixels(pix, other, is_node, nbr, chain_of, is_path, start_pix):
    """Chain pixels grouped by chain (0, 1, ...), each from its start pixel on.

    One breadth-first pass from a virtual source linked to every start pixel;
    a loop's link from its start pixel to its second neighbour is cut, so the
    loop is walked towards the first neighbour.
    """
    num = len(chain_of)
    src, dst = pix[~is_node[other]], other[~is_node[other]]
    loop_start = start_pix[~is_path]
    if len(loop_start):
        second = nbr[loop_start][nbr[loop_start] >= 0].reshape(-1, 2)[:, 1]
        cut = np.isin(src * num + dst, np.r_[loop_start * num + second, second * num + loop_start])
        src, dst = src[~cut], dst[~cut]
    src = np.r_[src, np.full(len(start_pix), num)]
    dst = np.r_[dst, start_pix]
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(num + 1, num + 1))
    visit = breadth_first_order(graph, num, directed=True, return_predecessors=False)[1:]
    return visit[np.argsort(chain_of[visit], kind='stable')]


class SkeletonChains(NamedTuple):
    """The skeleton's pixels split into nodes and chains (:func:`skeleton_chains`).

    P skeleton pixels in raster order, N nodes numbered by their first pixel
    in raster order, C chains (paths and loops alike) numbered the same way.
    """

    xy: np.ndarray          #: (P, 2) float64 pixel x (column), y (row)
    nbr: np.ndarray         #: (P, 8) int64 neighbour pixel per offset of OFFSETS, -1 = none
    is_node: np.ndarray     #: (P,) bool, pixels without exactly two neighbours
    node_of: np.ndarray     #: (P,) int64 node id of node pixels, -1 elsewhere
    node_xy: np.ndarray     #: (N, 2) float64 mean x, y of each node's pixels
    chains: List[np.ndarray]  #: C arrays of pixel ids, each in walk order from its start
    is_path: np.ndarray     #: (C,) bool, chain touches a node (else a closed loop)
    start_node: np.ndarray  #: (C,) int64 node at the start of a path (-1 for loops)
    end_node: np.ndarray    #: (C,) int64 node at the end of a path (-1 for loops)
    start_key: np.ndarray   #: (C,) int64 node pixel * 8 + offset at a path's start


def skeleton_chains(skel: np.ndarray) -> SkeletonChains:
    """Skeleton (H, W) bool -> its nodes and chains, each chain in walk order.

    A path starts at the end whose touching node pixel comes first in raster
    order; a loop at its first pixel, towards its first neighbour in offset
    order (see the module docstring).
    """
    xy, nbr = _pixel_neighbours(skel)
    is_node = (nbr >= 0).sum(1) != 2
    if len(xy) == 0:
        none = np.zeros(0, np.int64)
        return SkeletonChains(xy, nbr, is_node, none, np.zeros((0, 2)), [], is_node, none,
                              none, none)
    node_of, chain_of, pix, slot, other = _label(nbr, is_node)
    n_nodes, n_chain = int(node_of.max()) + 1, int(chain_of.max()) + 1
    node_xy = np.zeros((n_nodes, 2))
    if n_nodes:
        node_pix = np.flatnonzero(is_node)
        counts = np.bincount(node_of[node_pix], minlength=n_nodes)
        for k in range(2):
            node_xy[:, k] = np.bincount(node_of[node_pix], xy[node_pix, k], n_nodes) / counts
    is_path, start_pix, start_node, end_node, start_key = _starts(
        pix, slot, other, is_node, node_of, chain_of, n_chain)
    visit = _ordered_pixels(pix, other, is_node, nbr, chain_of, is_path, start_pix)
    sizes = np.bincount(chain_of[visit], minlength=n_chain)
    chains = np.split(visit, np.cumsum(sizes)[:-1]) if n_chain else []
    return SkeletonChains(xy, nbr, is_node, node_of, node_xy, chains, is_path, start_node,
                          end_node, start_key)


def trace_skeleton(skel: np.ndarray) -> RoadGraph:
    """Skeleton (H, W) bool -> RoadGraph in pixel units (unsimplified polylines)."""
    sk = skeleton_chains(skel)
    if len(sk.xy) == 0:
        return RoadGraph.empty()
    sizes = np.array([len(c) for c in sk.chains], np.int64)
    is_path, start_node, end_node = sk.is_path, sk.start_node, sk.end_node
    # paths by start key (a 1-pixel path back to its own node is no edge), then loops
    paths = np.flatnonzero(is_path & ~((sizes == 1) & (start_node == end_node)))
    paths = paths[np.argsort(sk.start_key[paths], kind='stable')]
    loops = np.flatnonzero(~is_path)
    loop_start = np.array([sk.chains[c][0] for c in loops.tolist()], np.int64)
    order = np.argsort(loop_start, kind='stable')
    loops, loop_start = loops[order], loop_start[order]
    loop_node = len(sk.node_xy) + np.arange(len(loops))
    node_xy, xy = sk.node_xy, sk.xy
    polylines = [np.concatenate([node_xy[[start_node[c]]], xy[sk.chains[c]],
                                 node_xy[[end_node[c]]]]) for c in paths.tolist()]
    polylines += [xy[np.r_[sk.chains[c], sk.chains[c][:1]]] for c in loops.tolist()]
    edges = np.concatenate([np.stack([start_node[paths], end_node[paths]], axis=1),
                            np.stack([loop_node, loop_node], axis=1)])
    return RoadGraph(np.concatenate([node_xy, xy[loop_start]]), edges, polylines)
