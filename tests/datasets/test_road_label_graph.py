"""The road graph of a mask for its labels (label version 2, ``mask_label_graph``):
the metrics' ``mask_to_graph`` on hand-made masks whose right graph is known.

Label version 1 got the first three wrong: a ring was opened into a line with two
dead ends, a one-pixel skeleton chain between two junctions became a self-loop of
one of them (a degree-4 junction and a degree-2 one), and a hole in a road made
a loop of the skeleton (a fake junction).
"""
import numpy as np
import pytest
from scipy import ndimage
from skimage.morphology import skeletonize

from mmkd_rs.datasets.roads.connectivity_labels import dead_end_nodes, junction_nodes
from mmkd_rs.datasets.roads.layout import mask_label_graph, raster_tile_labels
from mmkd_rs.evaluation.graph.skeleton_trace import skeleton_chains

JUNCTION, DEAD_END = 3, 4


def _self_loops(graph):
    return int((graph.edges[:, 0] == graph.edges[:, 1]).sum())


def _disk(mask, cy, cx, r, value):
    yy, xx = np.mgrid[:mask.shape[0], :mask.shape[1]]
    mask[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = value
    return mask


def test_ring_is_a_loop_without_dead_ends():
    mask = _disk(_disk(np.zeros((96, 96), np.uint8), 48, 48, 30, 1), 48, 48, 22, 0)
    labels = raster_tile_labels(mask)
    graph = labels['graph']
    # one node on the ring and one self-loop edge through every skeleton pixel
    assert (graph.num_nodes, graph.num_edges, _self_loops(graph)) == (1, 1, 1)
    assert graph.degrees().tolist() == [2]
    (loop,) = graph.polylines
    np.testing.assert_array_equal(loop[0], loop[-1])
    assert len(loop) - 1 == skeletonize(mask > 0).sum()
    assert np.hypot(*(loop - 48.5).T) == pytest.approx(26, abs=1.5)   # around the centre
    assert graph.edge_lengths()[0] > 2 * np.pi * 25
    assert (labels['conn'] == DEAD_END).sum() == 0 and (labels['conn'] == JUNCTION).sum() == 0
    # the centreline band is closed: it separates the ring's inner and outer edges
    _, parts = ndimage.label(labels['conn'] != 2)
    assert parts == 2


def _staggered_crossing():
    """A 6 px road across a 48 x 64 tile; side roads leave it up and down 4 px apart."""
    mask = np.zeros((48, 64), np.uint8)
    mask[20:26, :] = 1
    mask[:20, 24:30] = 1
    mask[20:, 28:34] = 1
    return mask


def test_one_pixel_chain_joins_its_two_junctions():
    mask = _staggered_crossing()
    sk = skeleton_chains(skeletonize(mask > 0))
    short = [c for c, chain in enumerate(sk.chains) if len(chain) == 1]
    assert len(short) == 1                              # the case this test is about
    assert sk.start_node[short[0]] != sk.end_node[short[0]]
    graph = mask_label_graph(mask)
    assert _self_loops(graph) == 0
    assert sorted(graph.degrees().tolist()) == [1, 1, 1, 1, 3, 3]
    a, b = junction_nodes(graph)
    (edge,) = np.flatnonzero((np.sort(graph.edges, 1) == [a, b]).all(1))
    assert graph.edge_lengths()[edge] < 5                # the two junctions, 4 px apart
    assert np.hypot(*(graph.nodes[a] - graph.nodes[b])) == pytest.approx(4, abs=1.5)
    # the four roads leave the tile: no dead end, two junction zones around x = 27..31
    labels = raster_tile_labels(mask)
    assert (labels['conn'] == DEAD_END).sum() == 0
    assert dead_end_nodes(graph, mask.shape, road_mask=mask) == []


def test_small_hole_is_filled_and_a_median_splits_the_road():
    mask = np.zeros((48, 128), np.uint8)
    mask[12:36, :] = 1                          # 24 px road along the tile
    mask[23:25, 30:33] = 0                      # a 6 px hole (a tree): filled
    graph = mask_label_graph(mask)
    assert (graph.num_nodes, graph.num_edges, _self_loops(graph)) == (2, 1, 0)
    assert junction_nodes(graph) == []
    (line,) = graph.polylines                   # straight along the road's centre, y = 24
    assert np.abs(line[:, 1] - 24.0).max() <= 0.5
    labels = raster_tile_labels(mask)
    assert (labels['conn'] == JUNCTION).sum() == 0
    # a 20 x 6 px median (120 px, over the 20 px filled) splits it in two carriageways
    mask[21:27, 70:90] = 0
    graph = mask_label_graph(mask)
    assert sorted(graph.degrees().tolist()) == [1, 1, 3, 3] and _self_loops(graph) == 0
    a, b = junction_nodes(graph)
    between = [e for e, (u, v) in enumerate(graph.edges.tolist()) if {u, v} == {a, b}]
    assert len(between) == 2                    # both carriageways kept
    above, below = sorted(float(graph.polylines[e][:, 1].mean()) for e in between)
    assert above < 21 and below > 27


def test_t_junction():
    mask = np.zeros((96, 96), np.uint8)
    mask[44:52, :] = 1                          # 8 px road across the tile
    mask[10:52, 30:37] = 1                      # 7 px side road ending at row 10
    labels = raster_tile_labels(mask)
    graph = labels['graph']
    assert sorted(graph.degrees().tolist()) == [1, 1, 1, 3]
    (junction,) = junction_nodes(graph)
    np.testing.assert_allclose(graph.nodes[junction], [33.5, 48.0], atol=2.0)
    (dead,) = dead_end_nodes(graph, mask.shape, road_mask=mask)
    x, y = graph.nodes[dead]
    assert 30 <= x <= 37 and 10 <= y <= 16     # the side road's end, not the tile border
    zones, count = ndimage.label(labels['conn'] == DEAD_END)
    assert count == 1 and zones[int(y), int(x)] == 1
    zones, count = ndimage.label(labels['conn'] == JUNCTION)
    assert count == 1 and zones[48, 33] == 1


def test_graph_file_numbering():
    """Edges in raster order of their first skeleton pixel, each from the end
    first met in raster order; nodes numbered along them; edges then run from
    their lower node and are ordered by it."""
    graph = mask_label_graph(_staggered_crossing())
    assert graph.edges.tolist() == [[0, 1], [1, 2], [1, 3], [3, 4], [3, 5]]
    assert graph.edge_lengths().tolist() == pytest.approx(
        [float(np.hypot(*np.diff(p, axis=0).T).sum()) for p in graph.polylines])
    for (u, v), line in zip(graph.edges.tolist(), graph.polylines):
        np.testing.assert_array_equal(line[[0, -1]], graph.nodes[[u, v]])
    # pixel centres at c + 0.5: skeleton pixels in row 22 lie at y = 22.5
    assert 22.5 in graph.polylines[1][:, 1]


def test_spurs_pruned_unless_asked_to_keep():
    mask = np.zeros((64, 96), np.uint8)
    mask[28:36, :] = 1
    mask[22:28, 40:44] = 1                      # a 6 px stub on the road
    assert sorted(mask_label_graph(mask).degrees().tolist()) == [1, 1, 2]
    assert sorted(mask_label_graph(mask, min_spur_px=0).degrees().tolist()) == [1, 1, 1, 3]
