"""APLS on tiny graphs with hand-computed values."""
import numpy as np
import pytest

from mmkd_rs.evaluation.graph import APLSSettings, RoadGraph, apls_score


def _graph(nodes, edges):
    nodes = np.asarray(nodes, float)
    return RoadGraph(nodes, edges, [nodes[[u, v]] for u, v in edges])


SQUARE = [(0, 0), (30, 0), (30, 30), (0, 30)]   # 30 m sides: no edge points at 50 m spacing


def test_identical_graphs_score_one():
    g = _graph(SQUARE, [[0, 1], [1, 2], [2, 3], [3, 0]])
    r = apls_score(g, g)
    assert (r.apls, r.gt_to_prop, r.prop_to_gt) == (1.0, 1.0, 1.0)
    long = _graph([(0, 0), (400, 0), (400, 300)], [[0, 1], [1, 2]])
    assert apls_score(long, long).apls == pytest.approx(1.0)
    assert apls_score(long, long, APLSSettings.old()).apls == pytest.approx(1.0)


def test_removed_edge_gives_detour_penalty():
    gt = _graph(SQUARE, [[0, 1], [1, 2], [2, 3], [3, 0]])
    prop = _graph(SQUARE, [[0, 1], [1, 2], [2, 3]])
    r = apls_score(gt, prop)
    # 12 ordered corner pairs; only (0,3) and (3,0) change: 30 m -> 90 m.
    # gt->prop: min(1, 60/30) = 1 twice -> 1 - 2/12
    assert r.gt_to_prop == pytest.approx(5 / 6)
    # prop->gt: |90 - 30| / 90 = 2/3 twice -> 1 - (4/3)/12
    assert r.prop_to_gt == pytest.approx(8 / 9)
    assert r.apls == pytest.approx(80 / 93)


def test_unreachable_control_point_scores_one_for_all_its_routes():
    # star with 30 m arms; the proposal lacks the arm to node 3
    gt = _graph([(0, 0), (30, 0), (60, 0), (30, 30)], [[0, 1], [1, 2], [1, 3]])
    prop = _graph([(0, 0), (30, 0), (60, 0)], [[0, 1], [1, 2]])
    r = apls_score(gt, prop)
    # node 3 is 30 m from the proposal (> 4 m): as a start it scores 1 for the 3 other
    # nodes it reaches; as an end it scores 1 from each of the 3 others; the other 6
    # routes are exact: 1 - 6/12
    assert r.gt_to_prop == pytest.approx(0.5)
    assert r.prop_to_gt == pytest.approx(1.0)
    assert r.apls == pytest.approx(2 / 3)


def test_snapping_within_radius_only():
    gt = _graph([(0, 0), (100, 0)], [[0, 1]])
    near = _graph([(0, 3), (100, 3)], [[0, 1]])
    far = _graph([(0, 5), (100, 5)], [[0, 1]])
    assert apls_score(gt, near).apls == pytest.approx(1.0)
    assert apls_score(gt, far).apls == 0.0


def test_empty_graphs_follow_reference_convention():
    g = _graph(SQUARE, [[0, 1], [1, 2]])
    empty = RoadGraph.empty()
    assert apls_score(g, empty).apls == 0.0
    assert apls_score(empty, g).apls == 0.0
    assert apls_score(empty, empty).apls == 0.0
