"""Graph building, mask -> graph extraction and pixel road scores."""
import numpy as np
import pytest

from mmkd_rs.evaluation.graph import graph_from_polylines, mask_to_graph, road_counts, \
    scores_from_counts
from mmkd_rs.evaluation.graph.control_points import locate_points, spaced_positions, \
    split_graph
from mmkd_rs.evaluation.graph.road_graph import RoadGraph
from mmkd_rs.evaluation.graph.skeleton_graph import split_at_points


def test_vertices_merge_only_when_equal_and_chains_collapse():
    # a T: horizontal line through (10, 0); vertical line starting exactly there
    g = graph_from_polylines([[(0, 0), (5, 0), (10, 0), (20, 0)], [(10, 0), (10, 10)]])
    assert g.num_nodes == 4          # 3 ends + the junction; (5, 0) collapsed
    assert g.num_edges == 3
    assert sorted(np.round(g.edge_lengths(), 6)) == [10.0, 10.0, 10.0]
    # a line ending 1e-9 away from the other does not connect
    g2 = graph_from_polylines([[(0, 0), (20, 0)], [(10, 1e-9), (10, 10)]])
    assert g2.num_edges == 2 and g2.num_nodes == 4


def test_line_joints_and_small_components():
    lines = [[(0, 0), (10, 0)], [(10, 0), (20, 0)], [(100, 100), (102, 100)]]
    g = graph_from_polylines(lines, split_at_line_joints=True)
    assert g.num_edges == 3          # the joint of two different lines stays a node
    g = graph_from_polylines(lines, min_component_length=5)     # default: joints merge
    assert g.num_edges == 1 and g.total_length() == pytest.approx(20.0)


def test_repeated_segments_are_dropped_like_the_reference():
    # a 30 m road (0,0)-(30,0) whose middle segment (10,0)-(20,0) is digitised twice,
    # once more as its own feature, reversed
    lines = [[(0, 0), (10, 0), (20, 0), (30, 0)], [(20, 0), (10, 0)]]
    g = graph_from_polylines(lines)
    # both copies go; (10, 0) and (20, 0) stay as the ends of the two 10 m pieces
    assert g.num_edges == 2 and g.num_nodes == 4
    assert sorted(g.edge_lengths().tolist()) == pytest.approx([10.0, 10.0])
    kept = graph_from_polylines(lines, duplicate_segments='merge')
    assert kept.num_edges == 1 and kept.total_length() == pytest.approx(30.0)
    # a dropped segment's vertex stays a node even with degree 2:
    # the spur (30,0)-(30,5) is duplicated, so (30,0) splits the line
    g = graph_from_polylines([[(0, 0), (30, 0), (60, 0)], [(30, 0), (30, 5)], [(30, 0), (30, 5)]])
    assert g.num_edges == 2 and sorted(g.edge_lengths().tolist()) == pytest.approx([30.0, 30.0])
    with pytest.raises(ValueError, match='duplicate_segments'):
        graph_from_polylines(lines, duplicate_segments='keep')


SQUARE_RING = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]     # closed, 400 m


def _no_self_loops(g):
    return bool((g.edges[:, 0] != g.edges[:, 1]).all())


def test_ring_through_two_nodes_is_split_at_them():
    # spurs at two opposite corners: the ring becomes two 200 m arcs between them
    g = graph_from_polylines([SQUARE_RING, [(0, 0), (-50, 0)], [(100, 100), (150, 100)]])
    assert (g.num_nodes, g.num_edges) == (4, 4) and _no_self_loops(g)
    assert sorted(g.edge_lengths().tolist()) == pytest.approx([50, 50, 200, 200])


def test_ring_through_one_node_is_dropped_like_the_reference():
    # the reference makes two opposite self-loops of it and removes both as duplicates
    g = graph_from_polylines([SQUARE_RING, [(0, 0), (-50, 0)]])
    assert (g.num_nodes, g.num_edges) == (2, 1) and _no_self_loops(g)
    assert g.nodes.tolist() == [[0, 0], [-50, 0]] and g.total_length() == pytest.approx(50)
    # a line passing through the ring's node is split there and the ring goes
    g = graph_from_polylines([SQUARE_RING, [(-50, 0), (0, 0), (0, -50)]])
    assert (g.num_nodes, g.num_edges) == (3, 2) and g.total_length() == pytest.approx(100)


def test_isolated_ring_keeps_every_vertex():
    g = graph_from_polylines([SQUARE_RING])
    assert (g.num_nodes, g.num_edges) == (4, 4) and _no_self_loops(g)
    assert g.edge_lengths().tolist() == pytest.approx([100] * 4)
    assert g.nodes.tolist() == [[0, 0], [100, 0], [100, 100], [0, 100]]
    assert graph_from_polylines([SQUARE_RING], min_component_length=5).num_edges == 4


def test_repeated_vertex_and_first_appearance_order():
    # a vertex repeated in a row loops onto itself in the reference: it stays a node
    g = graph_from_polylines([[(20, 0), (10, 0), (10, 0), (0, 0)]])
    assert g.num_edges == 2 and g.nodes.tolist() == [[20, 0], [10, 0], [0, 0]]
    # nodes are numbered in order of first appearance, not by coordinates
    g = graph_from_polylines([[(5, 5), (0, 0)], [(9, 9), (5, 5), (7, 0)]])
    assert g.nodes.tolist() == [[5, 5], [0, 0], [9, 9], [7, 0]]


def test_great_circle_lengths_from_lonlat():
    # the same two lines in metres and in degrees: lengths come from the degrees
    lonlat = [np.array([(-115.17, 36.24), (-115.17, 36.241), (-115.169, 36.241)])]
    metric = [np.array([(0, 0), (0, 1), (2, 1)], float)]
    g = graph_from_polylines(metric, lonlat=lonlat)
    north = 0.001 * np.pi / 180 * 6371009                # 111.195 m along the meridian
    east = 2 * np.arcsin(np.cos(np.deg2rad(36.241)) * np.sin(np.deg2rad(0.0005))) * 6371009
    assert g.edge_lengths() == pytest.approx([round(north, 3) + round(east, 3)], abs=1e-9)
    assert g.geometry_lengths() == pytest.approx([3.0])
    assert g.scaled(2.0).edge_lengths() == pytest.approx(2 * g.edge_lengths())


def test_spaced_positions_follow_reference_spacing():
    g = RoadGraph([(0, 0), (100, 0), (0, 10), (120, 10), (0, 20), (30, 20)],
                  [[0, 1], [2, 3], [4, 5]],
                  [np.array([(0, 0), (100, 0)], float), np.array([(0, 10), (120, 10)], float),
                   np.array([(0, 20), (30, 20)], float)])
    edge, s = spaced_positions(g, 50.0)
    assert edge.tolist() == [0, 1, 1]            # 30 m edge < 0.75 * 50: none
    assert s.tolist() == pytest.approx([50.0, 40.0, 80.0])
    edge_old, _ = spaced_positions(g, 200.0, curved_eps=0.12)
    assert len(edge_old) == 0                    # straight edges get no points


def test_snapping_and_split_lengths():
    g = RoadGraph([(0, 0), (10, 0)], [[0, 1]], [np.array([(0, 0), (10, 0)], float)])
    edge, s, dist = locate_points(g, np.array([(3, 2), (12, 0), (5, 9)], float), 4.0)
    assert edge.tolist() == [0, 0, -1]
    assert s[:2].tolist() == pytest.approx([3.0, 10.0])
    assert dist[:2].tolist() == pytest.approx([2.0, 2.0])
    adj, index = split_graph(g, edge, s)
    assert index.tolist() == [2, 1, -1]          # (12, 0) lands on node 1
    assert adj[0, 2] == pytest.approx(3.0) and adj[2, 1] == pytest.approx(7.0)
    # two points on the same spot: the later one keeps it
    _, index = split_graph(g, np.array([0, 0]), np.array([4.0, 4.0]))
    assert index.tolist() == [-1, 2]


def test_mask_to_graph_plus_shape():
    mask = np.zeros((41, 41), np.uint8)
    mask[18:23, 2:39] = 1
    mask[2:39, 18:23] = 1
    g = mask_to_graph(mask, min_spur_length=3, simplify_tolerance=1.0)
    deg = np.bincount(g.edges.ravel(), minlength=g.num_nodes)
    assert sorted(deg.tolist()) == [1, 1, 1, 1, 4]
    centre = g.nodes[deg == 4][0]
    assert np.abs(centre - 20).max() <= 1.5
    assert g.total_length() == pytest.approx(4 * 17, abs=8)
    assert mask_to_graph(np.zeros((8, 8))).num_nodes == 0


def test_mask_to_graph_closed_loop():
    mask = np.zeros((30, 30), bool)
    mask[5:25, 5:25] = True
    mask[8:22, 8:22] = False
    g = mask_to_graph(mask, min_object_area=0, max_hole_area=0, min_spur_length=0)
    assert g.num_edges >= 1
    assert g.total_length() == pytest.approx(4 * 16, rel=0.2)


def test_split_at_points():
    g = RoadGraph([[0, 0], [4, 0], [9, 9]], [[0, 1], [1, 2]],
                  [np.array([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], float),
                   np.array([[4, 0], [9, 9]], float)])
    # (2, 0) and (3, 0) inside edge 0 become nodes 3 and 4; end points and (7, 7) split nothing
    s = split_at_points(g, [[3, 0], [2, 0], [4, 0], [7, 7]])
    assert s.nodes.tolist() == [[0, 0], [4, 0], [9, 9], [2, 0], [3, 0]]
    assert s.edges.tolist() == [[0, 3], [3, 4], [4, 1], [1, 2]]
    assert [p.tolist() for p in s.polylines[:3]] == [[[0, 0], [1, 0], [2, 0]], [[2, 0], [3, 0]],
                                                     [[3, 0], [4, 0]]]
    assert split_at_points(g, [[7, 7]]) is g


def test_mask_to_graph_keep_skeleton_nodes():
    """A spur pruned off a road leaves a degree-2 node at its base: joined through
    by default, kept with ``keep_skeleton_nodes``; same geometry either way."""
    mask = np.zeros((32, 64), np.uint8)
    mask[12:20, :] = 1
    mask[7:12, 30:34] = 1                       # a 5 px stub: a spur of the skeleton
    spurs = mask_to_graph(mask, min_spur_length=0, simplify_tolerance=0)
    assert sorted(spurs.degrees().tolist()) == [1, 1, 1, 3]
    base = spurs.nodes[spurs.degrees() == 3][0]
    joined = mask_to_graph(mask, simplify_tolerance=0)
    assert sorted(joined.degrees().tolist()) == [1, 1]
    kept = mask_to_graph(mask, simplify_tolerance=0, keep_skeleton_nodes=True)
    assert sorted(kept.degrees().tolist()) == [1, 1, 2]
    np.testing.assert_array_equal(kept.nodes[kept.degrees() == 2][0], base)
    (line,) = joined.polylines
    a, b = kept.polylines if kept.edges[0, 1] == kept.edges[1, 0] else kept.polylines[::-1]
    np.testing.assert_array_equal(np.concatenate([a, b[1:]]), line)


def test_pixel_scores_hand_computed():
    gt = np.zeros((5, 5), bool)
    gt[2, :] = True                       # 5-pixel centreline
    pred = np.zeros((5, 5), bool)
    pred[2, :3] = True
    pred[0, 0] = True                     # isolated false positive, 2 px from the road
    c = road_counts(pred, gt, rho=1.0)
    assert (c['tp'], c['fp'], c['fn']) == (3, 1, 2)
    s = scores_from_counts(c)
    assert s['iou'] == pytest.approx(0.5)
    assert s['precision'] == pytest.approx(0.75) and s['recall'] == pytest.approx(0.6)
    assert s['f1'] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    # skeletons are the masks themselves: Tprec 3/4, Tsens 3/5
    assert s['cldice'] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    # relaxed: 3 of 4 predicted pixels within 1 px; 4 of 5 true pixels within 1 px
    assert s['relaxed_precision'] == pytest.approx(0.75)
    assert s['relaxed_recall'] == pytest.approx(0.8)
    assert s['relaxed_f1'] == pytest.approx(2 * 0.75 * 0.8 / 1.55)


def test_pixel_scores_empty_tiles_follow_the_nan_rule():
    empty = np.zeros((6, 6), bool)
    s = scores_from_counts(road_counts(empty, empty))
    assert all(np.isnan(v) for v in s.values())    # no road anywhere: undefined
    road = empty.copy()
    road[3, :] = True
    s = scores_from_counts(road_counts(empty, road))
    assert s['iou'] == 0 and s['recall'] == 0 and s['f1'] == 0 and s['cldice'] == 0
    assert s['relaxed_f1'] == 0
    assert np.isnan(s['precision']) and np.isnan(s['relaxed_precision'])
    with pytest.raises(ValueError, match='differ in size'):
        road_counts(empty, np.zeros((5, 6), bool))
