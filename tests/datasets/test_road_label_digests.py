"""Road labels pinned by digest: graph files, connectivity labels (both schemes),
centrelines and junction disks of synthetic scenes, real SpaceNet 3 / DeepGlobe
samples and hand-made shapes (crossings, cul-de-sacs, rings, holes, spurs).

The expected values were computed with the label code as it stood before the
road graph moved to :class:`~mmkd_rs.evaluation.graph.road_graph.RoadGraph`
(networkx graphs, pure-Python skeleton walk): any change of a label pixel, of
a graph file byte or of the polylines the graph transform hands to
``RoadMetric`` fails here. Each entry is ``sha256[:16]`` of the array bytes
(dtype and shape included) or of the JSON file text, plus node / edge counts
and the total edge length (px, 3 decimals) of the graph.

One change was made on purpose: graph files number their nodes 0..N-1. The
networkx mask graphs left gaps in the ids where spur tips were removed
(``deepglobe:113``, ``raster:blobs``, ``raster:spurs``,
``raster_synthetic:2/256``: only their ``json`` entry was recomputed); nodes,
degrees, edge order, coordinates and lengths in those files are unchanged.

Label version 2 (the mask graph of ``raster_tile_labels`` is the metrics'
``mask_to_graph``, see configs/roadcon/README.md) changed the mask cases where
the version 1 graph was wrong; their entries were recomputed and each says why
(``# v2:``). Every other entry, among them all ``scene:`` cases (the synthetic
generator's own graph), ``lines:``, the GeoJSON (``geo_``, ``sn3_apls``) ones and
the mask cases where the graph was right, kept its version 1 value.
"""
import hashlib
import json

import numpy as np
import pytest

from _real_data import require_real
from mmkd_rs.datasets.roads.connectivity_labels import (connectivity_label, graph_to_dict,
                                                       lines_to_graph, node_lines, save_graph)
from mmkd_rs.datasets.roads.layout import raster_tile_labels
from mmkd_rs.datasets.roads.tile_labels import geo_tile_labels
from mmkd_rs.datasets.synthetic.roads import render_scene, scene_labels
from mmkd_rs.datasets.transforms.roads import LoadRoadAnnotations


def _sha(array):
    array = np.ascontiguousarray(array)
    head = f'{array.dtype.str}{array.shape}'.encode()
    return hashlib.sha256(head + array.tobytes()).hexdigest()[:16]


def _graph_digest(graph, shape):
    data = graph_to_dict(graph, *shape)
    text = json.dumps(data)
    length = sum(e['length_px'] for e in data['edges'])
    return dict(json=hashlib.sha256(text.encode()).hexdigest()[:16], nodes=len(data['nodes']),
                edges=len(data['edges']), length=round(length, 3))


def _label_digests(labels):
    out = {key: _sha(labels[key]) for key in ('mask', 'centreline', 'junction', 'conn')
           if labels.get(key) is not None}
    out.update(_graph_digest(labels['graph'], labels['mask'].shape))
    return out


# ---------------------------------------------------------------- hand-made masks
def _crossing(width=8, size=128):
    mask = np.zeros((size, size), np.uint8)
    mask[60:60 + width, :] = 1
    mask[:, 40:40 + width] = 1
    return mask


def _t_junction():
    mask = np.zeros((96, 96), np.uint8)
    mask[44:52, :] = 1
    mask[10:52, 30:37] = 1
    return mask


def _cul_de_sac():
    mask = _crossing(12)
    mask[90:102, 80:128] = 1
    mask[30:102, 80:92] = 1
    return mask


def _disk(mask, cy, cx, r, value=1):
    yy, xx = np.mgrid[:mask.shape[0], :mask.shape[1]]
    mask[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = value
    return mask


def _ring():
    mask = _disk(np.zeros((96, 96), np.uint8), 48, 48, 30)
    return _disk(mask, 48, 48, 22, 0)


def _roundabout():
    mask = _ring()
    mask[44:52, :20] = 1
    mask[44:52, 76:] = 1
    mask[:20, 44:52] = 1
    return mask


def _lollipop():
    mask = _disk(np.zeros((96, 96), np.uint8), 40, 60, 16)
    mask = _disk(mask, 40, 60, 9, 0)
    mask[36:44, :46] = 1
    return mask


def _holed_road():
    mask = np.zeros((64, 128), np.uint8)
    mask[20:44, :] = 1
    mask[29:35, 50:70] = 0          # a median: the skeleton splits around it
    mask[31:33, 100:103] = 0        # a 6 px hole (tree)
    return mask


def _spurs():
    mask = np.zeros((96, 96), np.uint8)
    mask[44:52, :] = 1
    mask[38:44, 30:34] = 1          # two short stubs at one place: spurs
    mask[52:57, 31:35] = 1
    mask[20:44, 70:75] = 1          # a longer side road
    return mask


def _diagonals():
    mask = np.zeros((128, 128), np.uint8)
    yy, xx = np.mgrid[:128, :128]
    mask[np.abs(yy - xx) <= 3] = 1
    mask[np.abs(yy + xx - 127) <= 2] = 1
    mask[np.abs(yy - 0.5 * xx - 20) <= 2] = 1
    return mask


def _dual_carriageway():
    mask = np.zeros((96, 96), np.uint8)
    mask[30:36, :] = 1
    mask[39:45, :] = 1
    mask[:, 60:66] = 1
    mask[5:8, 5:8] = 1              # a speck
    mask[80, 80] = 1                # a single pixel
    return mask


def _blobs():
    from scipy import ndimage
    rng = np.random.default_rng(7)
    noise = ndimage.gaussian_filter(rng.normal(size=(160, 160)), 3)
    return (noise > 0.02).astype(np.uint8)


HAND_MASKS = dict(crossing8=lambda: _crossing(8), crossing16=lambda: _crossing(16),
                  t_junction=_t_junction, cul_de_sac=_cul_de_sac, ring=_ring,
                  roundabout=_roundabout, lollipop=_lollipop, holed_road=_holed_road,
                  spurs=_spurs, diagonals=_diagonals, dual_carriageway=_dual_carriageway,
                  blobs=_blobs, empty=lambda: np.zeros((32, 32), np.uint8))


def _hand_lines():
    """Pixel polylines: a T, a noded crossing, a snapped gap, border cuts, a ring."""
    return [np.array([[0.0, 32.5], [32.5, 32.5]]), np.array([[32.5, 32.5], [64.0, 32.5]]),
            np.array([[32.5, 32.5], [32.5, 10.5]]), np.array([[10.0, 50.0], [30.0, 50.0]]),
            np.array([[31.5, 50.0], [50.0, 55.0], [60.0, 40.0]]),
            np.array([[0.0, 5.0], [20.0, 5.0]]), np.array([[0.0, 7.0], [20.0, 30.0]]),
            np.array([[45.0, 5.0], [55.0, 5.0], [55.0, 15.0], [45.0, 15.0], [45.0, 5.0]]),
            np.array([[5.0, 60.0], [25.0, 40.0]]), np.array([[5.0, 40.0], [25.0, 60.0]])]


# ---------------------------------------------------------------- cases
def _case(name):
    kind, _, arg = name.partition(':')
    if kind == 'raster':                      # DeepGlobe / Massachusetts path: mask skeleton
        mask_name, _, scheme = arg.partition('/')
        mask = HAND_MASKS[mask_name]()
        return _label_digests(raster_tile_labels(mask, dict(scheme=scheme or 'topology')))
    if kind == 'raster_synthetic':            # a rendered scene's mask through the skeleton
        seed, size = map(int, arg.split('/'))
        mask = render_scene(np.random.default_rng(seed), size)['mask']
        return _label_digests(raster_tile_labels(mask))
    if kind == 'scene':                       # the generator's exact graph
        seed, size, scheme = arg.split('/')
        scene = render_scene(np.random.default_rng([int(seed), 0, 0]), int(size))
        return _label_digests(scene_labels(scene, scheme))
    if kind == 'lines':
        shape = (64, 64)
        graph = lines_to_graph(node_lines(_hand_lines()), snap_px=2.0, shape=shape)
        out = _graph_digest(graph, shape)
        mask = np.zeros(shape, np.uint8)
        mask[28:37, :] = 1
        for scheme in ('topology', 'direction'):
            out[scheme] = _sha(connectivity_label(mask, graph, scheme=scheme,
                                                  junction_radius_px=5, dead_end_radius_px=3))
        return out
    if kind == 'deepglobe':
        import cv2
        root = require_real('deepglobe_roads_dlinknet')
        mask = (cv2.imread(str(root / 'train' / f'{arg}_mask.png'), 0) >= 128).astype(np.uint8)
        out = _label_digests(raster_tile_labels(mask))
        out['direction'] = _sha(raster_tile_labels(mask, dict(scheme='direction'))['conn'])
        return out
    if kind == 'sn3_toy':                     # real SpaceNet 3 mask (skeleton) and GeoJSON
        import rasterio
        root = require_real('spacenet3_roads_toy_roadextraction')
        stem = f'RGB-PanSharpen_AOI_2_Vegas_{arg}'
        with rasterio.open(root / 'masks' / f'{stem}_mask.tif') as src:
            mask = (src.read(1) > 0).astype(np.uint8)
            profile = dict(transform=src.transform, crs=src.crs, height=src.height,
                           width=src.width)
        out = {'raster_' + k: v for k, v in _label_digests(raster_tile_labels(mask)).items()}
        geo = geo_tile_labels(str(root / 'labels' / f'spacenetroads_AOI_2_Vegas_{arg}.geojson'),
                              profile, width_m=6.0, junction_radius_m=6.8)
        out.update({'geo_' + k: v for k, v in _label_digests(geo).items()})
        return out
    if kind == 'sn3_apls':
        import rasterio
        root = require_real('spacenet3_roads_apls')
        with rasterio.open(root / 'images' / 'RGB-PanSharpen_AOI_2_Vegas_img0.tif') as src:
            profile = dict(transform=src.transform, crs=src.crs, height=src.height,
                           width=src.width)
        path = root / 'gt_json_prop_wkt' / 'ground_truth_randomized' / 'AOI_2_Vegas_img0.geojson'
        out = _label_digests(geo_tile_labels(str(path), profile, lane_width_m=3.0))
        out['direction'] = _sha(geo_tile_labels(str(path), profile, width_m=6.0,
                                                conn_cfg=dict(scheme='direction'))['conn'])
        return out
    raise KeyError(name)


EXPECTED = {
    'deepglobe:104': dict(
        centreline='eb2c4c8e283889b5', conn='ed89477c2dee4cf8', direction='5640caddc6513858',
        edges=1, json='668452ee8f49fd67', junction='35a95b8ec4773188', length=1240.598,
        mask='17c5587ad9f82b34', nodes=2),
    'deepglobe:113': dict(
        centreline='76ed479d5e707e94', conn='7f9297e01f276099', direction='052e8f7e951bb9bf',
        edges=10, json='745d9b2c49aa33c2', junction='db8058d647df7d08', length=2312.56,
        mask='e0617a27725d1547', nodes=13),
    'lines:hand': dict(
        direction='d0d1c39cecef29b4', edges=13, json='adfcc56e2262212c', length=291.691,
        nodes=17, topology='1b064aa49c242ac7'),
    # v2: holes of 8 and 19 px filled, 1-px chains joined to both their nodes (no
    # self-loops), parallel paths around larger holes kept, two-level spurs pruned
    # (junctions 20 -> 18, dead ends 42 -> 46)
    'raster:blobs': dict(
        centreline='00a61cfb1a281955', conn='fa6e193907fdecc9', edges=88, json='a0f98fcdf2b49dfd',
        junction='f85a0cbdbff2b8e3', length=1315.561, mask='5132b66b640aeeeb', nodes=112),
    # v2: as raster:blobs
    'raster:blobs/direction': dict(
        centreline='00a61cfb1a281955', conn='78c89e4fe97c549c', edges=88, json='a0f98fcdf2b49dfd',
        junction='f85a0cbdbff2b8e3', length=1315.561, mask='5132b66b640aeeeb', nodes=112),
    'raster:crossing16': dict(
        centreline='eb76abc0af84dfc2', conn='c95ceaa0a01c4fd1', edges=4, json='9869e5477cba3270',
        junction='c77d172340f20516', length=228.243, mask='a93143d4efe4551a', nodes=5),
    'raster:crossing8': dict(
        centreline='f576c9f125bae245', conn='7a3bb1386e22bd14', edges=4, json='532f16e29a188c8a',
        junction='ca80240624b5a0f2', length=244.243, mask='b4421e7cb4310626', nodes=5),
    'raster:crossing8/direction': dict(
        centreline='f576c9f125bae245', conn='a4ca23b692260012', edges=4, json='532f16e29a188c8a',
        junction='ca80240624b5a0f2', length=244.243, mask='b4421e7cb4310626', nodes=5),
    'raster:cul_de_sac': dict(
        centreline='6bfea0809f343c78', conn='44620e34e89e9408', edges=7, json='06c90de8d7f9c947',
        junction='d0e5a1efc0e0ccb6', length=333.071, mask='e68921041ecf2b60', nodes=8),
    # v2: two 1 px holes between the roads where they meet filled; a 1-px chain
    # between two junctions is an edge between them, not a self-loop (junctions 4 -> 5)
    'raster:diagonals': dict(
        centreline='b1d304fcf35103d5', conn='17c144d3befee630', edges=11, json='80d064439500f0b2',
        junction='a5bfe54f50d138f1', length=479.557, mask='2f04d1675c6704f4', nodes=11),
    # v2: as raster:diagonals
    'raster:diagonals/direction': dict(
        centreline='b1d304fcf35103d5', conn='3194f6b533b21794', edges=11, json='80d064439500f0b2',
        junction='a5bfe54f50d138f1', length=479.557, mask='2f04d1675c6704f4', nodes=11),
    'raster:dual_carriageway': dict(
        centreline='00bce061b86bad7f', conn='3211287ec0fddc7f', edges=7, json='6dba46074f972117',
        junction='ef73ca274e6ef2d9', length=276.657, mask='03e1124624cab17a', nodes=8),
    'raster:empty': dict(
        centreline='1593c085cef79d40', conn='1593c085cef79d40', edges=0, json='3f36eb00cf1d9828',
        junction='1593c085cef79d40', length=0, mask='1593c085cef79d40', nodes=0),
    # v2: the 6 px hole is filled (v1: a self-loop, a fake junction); the median
    # splits the road into two carriageways, both kept (v1 kept the longer): two
    # junctions (v1: the fake one only)
    'raster:holed_road': dict(
        centreline='a79d3420ec6a5c0f', conn='6b43e39d53b9e711', edges=4, json='f2764616804fc58e',
        junction='e6f9d071bc79d3ba', length=162.318, mask='05817f377c4a9790', nodes=4),
    'raster:lollipop': dict(
        centreline='e3b1ba5cccb42f7b', conn='65cd1b92e0df2a8d', edges=2, json='a4984ca6f269ebbd',
        junction='0def06f4c17a0f74', length=126.379, mask='4d0b254d154bf3c0', nodes=2),
    # v2: a closed loop (one node, a self-loop); v1 opened it into a line with
    # two false dead ends (dead ends 2 -> 0)
    'raster:ring': dict(
        centreline='4841df0f6e6b3852', conn='77930bd3fed1fbaa', edges=1, json='b5c9c43704fa542f',
        junction='8d53f4929974db8a', length=172.853, mask='8a51d8fcd1a51a8a', nodes=1),
    'raster:roundabout': dict(
        centreline='3fee7fa777da16a6', conn='b6a2edb087450bc0', edges=6, json='6ccf0026383959f2',
        junction='2c227d914baa2d98', length=230.025, mask='8945e851876176fe', nodes=6),
    'raster:roundabout/direction': dict(
        centreline='3fee7fa777da16a6', conn='9798916d7c647e1f', edges=6, json='6ccf0026383959f2',
        junction='2c227d914baa2d98', length=230.025, mask='8945e851876176fe', nodes=6),
    'raster:spurs': dict(
        centreline='9bedf37765e9c2e6', conn='16758836c31a3668', edges=4, json='9513a16af8f6b5a8',
        junction='309c67c931f26971', length=116.61, mask='816755963afc4a91', nodes=5),
    'raster:t_junction': dict(
        centreline='9e9d939e7d272c3c', conn='21c75357f57358f8', edges=3, json='3980c04413299c3c',
        junction='717cf97725bbee60', length=125.61, mask='cd7b50548d192c6e', nodes=4),
    'raster_synthetic:0/128': dict(
        centreline='8fd59e53fff798fa', conn='9a1601e4ff4ba4a9', edges=14,
        json='33172532994eb7b1', junction='aee0f9c1feabe0c7', length=520.203,
        mask='8a1b040dc2acaf53', nodes=15),
    'raster_synthetic:1/256': dict(
        centreline='a5ec1a78ad1e86b9', conn='5165762881894c53', edges=26,
        json='789149cfde07e241', junction='02dd38726b84a68d', length=1556.13,
        mask='aa830824b5fd244d', nodes=23),
    # v2: a 1 px hole at a junction filled; a 1-px chain joins its two junctions
    # (v1: a degree-4 self-loop node) and a spur's 1-px stub goes with the spur;
    # a road parallel to a longer one between the same junctions kept (v1 dropped
    # it): junctions 17 -> 18
    'raster_synthetic:2/256': dict(
        centreline='ad32f94f1119896b', conn='396f210271e11e3e', edges=47, json='b519c1b3eff705bf',
        junction='72a6b38c65f4382c', length=2054.767, mask='a428427e4d95e97d', nodes=47),
    'scene:0/128/topology': dict(
        centreline='a2d94cd479588507', conn='ac64c5a7279e0cb1', edges=46,
        json='c91b86cfdcfe4a76', junction='542275c5a48a60e1', length=1981.383,
        mask='8a1b040dc2acaf53', nodes=36),
    'scene:1/256/topology': dict(
        centreline='5001f40fbf64943f', conn='983a884771e6095e', edges=55,
        json='e9e7e5a67f902c8e', junction='a82b838fb165308d', length=3552.055,
        mask='aa830824b5fd244d', nodes=46),
    'scene:2/256/direction': dict(
        centreline='1b134a137f91b892', conn='0c7a0495e2f8c160', edges=94,
        json='b0b9f8267bafcfe2', junction='5a3467f8d9cfc531', length=4145.337,
        mask='a428427e4d95e97d', nodes=81),
    'scene:3/512/topology': dict(
        centreline='e31491ee7e4daccd', conn='abe5695d6eb6b523', edges=286,
        json='898cf434bed49985', junction='0dac45a398d85abc', length=12495.533,
        mask='eaac460348e5f6cb', nodes=225),
    'sn3_apls:img0': dict(
        centreline='7711b57b3a21667e', conn='3d39ae9981209f35', direction='385b3edb85226ad8',
        edges=86, json='20d9ade72776031f', junction='39614e0066e60d08', length=15822.802,
        mask='e043eaabda9ab156', nodes=67),
    'sn3_toy:img1': dict(
        geo_centreline='d19eb85c4ca8ab97', geo_conn='da21fea15b6bec10', geo_edges=8,
        geo_json='4764d06be2fab371', geo_junction='ba21ad6f527c9cb7', geo_length=1530.309,
        geo_mask='6b79ff1fae62ad96', geo_nodes=9, raster_centreline='c8afda512df3c32d',
        raster_conn='832f1be7d3a21f15', raster_edges=8, raster_json='5d07d82bfd0ea0c0',
        raster_junction='e376bfc042cb0c54', raster_length=1501.586,
        raster_mask='6b79ff1fae62ad96', raster_nodes=9),
    # v2 (raster_ entries only): four holes of 1-2 px in the mask filled; v1 made
    # loops around them, with five fake junctions (junctions 6 -> 1)
    'sn3_toy:img198': dict(
        geo_centreline='b0d117272fe37b66', geo_conn='624453da404bd239', geo_edges=2,
        geo_json='d4fc29df44230b06', geo_junction='5e95a107522b109c', geo_length=1935.914,
        geo_mask='5edf372df85b8ece', geo_nodes=4, raster_centreline='47776c15a0bd8fdd',
        raster_conn='b9b8c22a796d8bc3', raster_edges=3, raster_json='f679742db3718430',
        raster_junction='9199dc4035eef38e', raster_length=1791.032,
        raster_mask='d888a36e13e77fd2', raster_nodes=4),
}


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_label_digests_unchanged(name):
    assert _case(name) == EXPECTED[name]


def test_graph_file_gives_the_same_polylines(tmp_path):
    """What ``LoadRoadAnnotations(with_graph=True)`` reads from a written graph
    file and hands to RoadMetric (its order numbers the ground-truth nodes,
    hence TOPO's start nodes)."""
    import cv2
    labels = raster_tile_labels(_roundabout())
    cv2.imwrite(str(tmp_path / 'm.png'), labels['mask'])
    save_graph(labels['graph'], tmp_path / 'g.json', *labels['mask'].shape)
    results = LoadRoadAnnotations(with_graph=True)(dict(
        seg_map_path=str(tmp_path / 'm.png'), graph_path=str(tmp_path / 'g.json'),
        seg_fields=[], reduce_zero_label=False))
    polylines = results['gt_graph']
    assert [len(p) for p in polylines] == EXPECTED_POLYLINE_SIZES
    assert _sha(np.concatenate(polylines)) == EXPECTED_POLYLINES


EXPECTED_POLYLINE_SIZES = [19, 34, 36, 20, 75, 18]
EXPECTED_POLYLINES = '56a49e74cc7a0a5d'
