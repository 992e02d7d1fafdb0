"""Road graph and label rasters from pixel polylines (hand-checkable geometry)."""
import json

import numpy as np
import pytest
from scipy import ndimage

from mmkd_rs.datasets.roads.connectivity_labels import (connectivity_label, dead_end_nodes,
                                                       junction_nodes, lines_to_graph, load_graph,
                                                       node_lines, road_mask_from_graph,
                                                       save_graph)
from mmkd_rs.datasets.roads.layout import mask_label_graph
from mmkd_rs.utils.errors import DataFileError


def _t_junction():
    # horizontal road across a 64x64 tile through pixel centres of row 32, and a
    # vertical one (column 32) from it ending inside at row 10
    return [np.array([[0.0, 32.5], [32.5, 32.5]]), np.array([[32.5, 32.5], [64.0, 32.5]]),
            np.array([[32.5, 32.5], [32.5, 10.5]])]


def test_graph_degrees_junction_and_dead_end():
    graph = lines_to_graph(_t_junction(), shape=(64, 64))
    assert graph.num_nodes == 4 and graph.num_edges == 3
    (junction,) = junction_nodes(graph)
    np.testing.assert_allclose(graph.nodes[junction], [32.5, 32.5])
    # the two border ends (x=0, x=64) are cuts, only (32.5, 10.5) is a dead end
    (dead,) = dead_end_nodes(graph, (64, 64))
    np.testing.assert_allclose(graph.nodes[dead], [32.5, 10.5])
    (edge,) = np.flatnonzero((np.sort(graph.edges, 1) == sorted([junction, dead])).all(1))
    assert graph.edge_lengths()[edge] == pytest.approx(22.0)


def test_snapping_closes_small_gaps_but_not_at_border():
    lines = [np.array([[10.0, 20.0], [30.0, 20.0]]), np.array([[31.5, 20.0], [50.0, 20.0]]),
             np.array([[0.0, 5.0], [20.0, 5.0]]), np.array([[0.0, 7.0], [20.0, 30.0]])]
    graph = lines_to_graph(lines, snap_px=2.0, shape=(64, 64), border_margin_px=2.0)
    degrees = graph.degrees()
    # gap of 1.5 px inside the tile closed (one degree-2 node); the two border
    # ends 2 px apart stay separate
    assert sorted(degrees) == [1, 1, 1, 1, 1, 1, 2]
    snapped = [c for (u, v), c in zip(graph.edges, graph.polylines) if degrees[u] == 2 or
               degrees[v] == 2]
    ends = {tuple(c[0]) for c in snapped} & {tuple(c[-1]) for c in snapped}
    assert ends == {(30.0, 20.0)}  # both lines now end exactly on the shared node


def test_node_lines_splits_crossings():
    cross = [np.array([[0.0, 16.0], [32.0, 16.0]]), np.array([[16.0, 0.0], [16.0, 32.0]])]
    assert lines_to_graph(cross).num_edges == 2
    graph = lines_to_graph(node_lines(cross), shape=(32, 32))
    assert graph.num_edges == 4
    assert sorted(graph.degrees()) == [1, 1, 1, 1, 4]


def test_bad_line_rejected():
    with pytest.raises(ValueError, match='line 1'):
        lines_to_graph([np.zeros((2, 2)), np.zeros((1, 2))])


def test_road_mask_width_and_connectivity_classes():
    graph = lines_to_graph(_t_junction(), shape=(64, 64))
    mask = road_mask_from_graph(graph, (64, 64), width_px=5)
    # the horizontal road y=32.5 is 5 px wide: pixel centres 30.5..34.5
    assert mask[:, 5].nonzero()[0].tolist() == [30, 31, 32, 33, 34]
    conn = connectivity_label(mask, graph, centreline_halfwidth_px=1.0, junction_radius_px=5,
                              dead_end_radius_px=3, border_margin_px=2)
    assert set(np.unique(conn)) == {0, 1, 2, 3, 4}
    assert conn[0, 0] == 0                          # background
    assert conn[30, 5] == 1 and conn[34, 5] == 1    # road body, 2 px off the centreline
    assert (conn[31:34, 5] == 2).all()              # centreline band (within 1 px)
    assert conn[32, 32] == 3 and conn[28, 32] == 3  # junction zone (radius 5)
    assert conn[10, 32] == 4 and conn[18, 32] == 2  # dead end zone (radius 3) at row 10
    assert conn[32, 1] == 2                         # border cut is not a dead end
    assert not ((conn > 0) & (mask == 0) & (conn != 2)).any()  # classes stay on road


def test_direction_scheme():
    graph = lines_to_graph(_t_junction(), shape=(64, 64))
    mask = road_mask_from_graph(graph, (64, 64), width_px=5)
    conn = connectivity_label(mask, graph, scheme='direction')
    assert (conn[30:35, 5] == 1).all()    # horizontal road: 0 degrees
    assert (conn[15, 30:35] == 3).all()   # vertical road: 90 degrees
    assert conn[0, 0] == 0
    with pytest.raises(ValueError, match='unknown connectivity scheme'):
        connectivity_label(mask, graph, scheme='angles')


def test_empty_tile_gives_zero_labels_and_empty_graph(tmp_path):
    graph = lines_to_graph([])
    mask = road_mask_from_graph(graph, (16, 16), 3)
    assert not mask.any() and not connectivity_label(mask, graph).any()
    save_graph(graph, tmp_path / 'g.json', 16, 16)
    g2, shape = load_graph(tmp_path / 'g.json')
    assert g2.num_nodes == 0 and shape == (16, 16)
    assert mask_label_graph(np.zeros((16, 16), np.uint8)).num_nodes == 0


def test_graph_json_round_trip(tmp_path):
    graph = lines_to_graph(_t_junction(), shape=(64, 64))
    save_graph(graph, tmp_path / 'g.json', 64, 64)
    data = json.loads((tmp_path / 'g.json').read_text())
    assert {n['degree'] for n in data['nodes']} == {1, 3}
    g2, _ = load_graph(tmp_path / 'g.json')
    assert sorted(g2.degrees()) == sorted(graph.degrees())
    (tmp_path / 'bad.json').write_text('{"nodes": []}')
    with pytest.raises(KeyError, match='bad.json'):
        load_graph(tmp_path / 'bad.json')


def test_graph_file_order_ids_and_repeated_edges(tmp_path):
    """Any node ids; edges ordered by their earlier node in the file (then file
    order), each keeping its coords' direction; a repeated pair keeps its first
    place and last geometry."""
    nodes = [dict(id=0, x=1.0, y=1.0), dict(id=2, x=5.0, y=1.0), dict(id=5, x=5.0, y=5.0)]
    data = dict(height=8, width=8, nodes=nodes,
                edges=[dict(u=5, v=2, coords=[[5, 5], [5, 1]], length_px=4.0),
                       dict(u=0, v=5, coords=[[1, 1], [5, 5]], length_px=5.6),
                       dict(u=2, v=0, coords=[[5, 1], [1, 1]], length_px=4.0),
                       dict(u=2, v=5, coords=[[5, 1], [6, 3], [5, 5]], length_px=4.5),
                       dict(u=2, v=2, coords=[[5, 1], [6, 0], [4, 0], [5, 1]], length_px=4.9)])
    (tmp_path / 'g.json').write_text(json.dumps(data))
    graph, shape = load_graph(tmp_path / 'g.json')
    assert shape == (8, 8)
    assert graph.edges.tolist() == [[0, 2], [1, 0], [1, 2], [1, 1]]
    assert [p.tolist() for p in graph.polylines] == [
        [[1, 1], [5, 5]], [[5, 1], [1, 1]], [[5, 1], [6, 3], [5, 5]],
        [[5, 1], [6, 0], [4, 0], [5, 1]]]
    assert graph.edge_lengths().tolist() == [5.6, 4.0, 4.5, 4.9]   # the file's, not re-measured
    assert graph.degrees().tolist() == [2, 4, 2]                    # a self-loop counts twice
    data['edges'].append(dict(u=2, v=7, coords=[[5, 1], [0, 0]], length_px=5.1))
    (tmp_path / 'bad.json').write_text(json.dumps(data))
    with pytest.raises(DataFileError, match='bad.json.*2-7'):
        load_graph(tmp_path / 'bad.json')


def test_mask_label_graph_finds_junction_and_ends():
    mask = np.zeros((48, 48), np.uint8)
    mask[22:27, 4:44] = 1       # horizontal bar
    mask[4:27, 22:27] = 1       # vertical bar from the top ending on it: a T
    graph = mask_label_graph(mask, min_spur_px=3)
    assert sorted(graph.degrees()) == [1, 1, 1, 3]
    (junction,) = junction_nodes(graph)
    np.testing.assert_allclose(graph.nodes[junction], [24.5, 24.5], atol=2.0)


def _two_roads_crossing(width):
    # a horizontal and a vertical road of `width` px crossing a 128x128 tile
    mask = np.zeros((128, 128), np.uint8)
    mask[60:60 + width, :] = 1
    mask[:, 40:40 + width] = 1
    return mask


@pytest.mark.parametrize('width', [8, 16])
def test_roads_crossing_the_tile_have_no_dead_end(width):
    from mmkd_rs.datasets.roads.layout import raster_tile_labels
    mask = _two_roads_crossing(width)
    labels = raster_tile_labels(mask)  # DeepGlobe defaults: border margin 2 px
    graph = labels['graph']
    # the skeleton stops about width / 2 inside the tile, beyond the fixed 2 px margin
    ends = graph.nodes[graph.degrees() == 1]
    assert len(ends) == 4
    assert min(min(x, y, 128 - x, 128 - y) for x, y in ends) > 2.0
    assert (labels['conn'] == 4).sum() == 0
    assert (labels['conn'] == 3).sum() > 0  # the crossing is still a junction
    assert len(dead_end_nodes(graph, mask.shape)) == 4  # a width-blind 2 px margin
    assert dead_end_nodes(graph, mask.shape, road_mask=mask) == []


def test_cul_de_sac_gives_one_dead_end_zone():
    from mmkd_rs.datasets.roads.layout import raster_tile_labels
    mask = _two_roads_crossing(12)
    mask[90:102, 80:128] = 1    # a side road from the right border ...
    mask[30:102, 80:92] = 1     # ... turning north and ending at row 30, 30 px from the top
    labels = raster_tile_labels(mask)
    zones, count = ndimage.label(labels['conn'] == 4)
    assert count == 1
    (dead,) = dead_end_nodes(labels['graph'], mask.shape, road_mask=mask)
    x, y = labels['graph'].nodes[dead]
    assert 80 <= x <= 92 and 30 <= y <= 40
    assert zones[int(y), int(x)] == 1
    # the zone is the radius-6 disk around the end, clipped by the 12 px wide road
    assert 60 <= (zones == 1).sum() <= np.pi * 6.5 ** 2
