"""Road datasets, loading transforms and GeoTIFF/GeoJSON reading (real + synthetic)."""
import json

import cv2
import numpy as np
import pytest
import rasterio
from mmengine.registry import init_default_scope
from rasterio.transform import from_origin

from _real_data import require_real
from mmkd_rs.datasets.roads import DeepGlobeRoadsDataset, RoadSegDataset
from mmkd_rs.datasets.roads.geo import (percentile_stretch, read_geotiff_rgb, read_road_lines)
from mmkd_rs.datasets.roads.tile_labels import geo_tile_labels
from mmkd_rs.datasets.synthetic.roads import generate_synthetic_roads, write_spacenet3

init_default_scope('mmkd_rs')

RAW_PIPELINE = [dict(type='LoadImageFromFile'),
                dict(type='LoadRoadAnnotations', binarize_threshold=128),
                dict(type='PackRoadInputs')]


def test_deepglobe_raw_layout_on_real_tiles():
    root = require_real('deepglobe_roads_dlinknet')
    ds = DeepGlobeRoadsDataset(data_root=str(root), img_suffix='_sat.jpg',
                               seg_map_suffix='_mask.png', pipeline=RAW_PIPELINE,
                               data_prefix=dict(img_path='train', seg_map_path='train'))
    assert len(ds) == 2 and ds.metainfo['classes'] == ('background', 'road')
    sample = ds[0]['data_samples']
    label = sample.gt_sem_seg.data
    assert tuple(label.shape) == (1, 1024, 1024)
    raw = cv2.imread(str(root / 'train' / '104_mask.png'), cv2.IMREAD_GRAYSCALE)
    assert set(label.unique().tolist()) == {0, 1}
    assert int(label.sum()) == int((raw >= 128).sum()) > 0


@pytest.fixture(scope='module')
def synth_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('synth_roads')
    generate_synthetic_roads(str(root), num_train=3, num_val=1, size=64, seed=1)
    return root


def _converted(root, split='train', **prefix):
    return RoadSegDataset(
        data_root=str(root), pipeline=[dict(type='LoadImageFromFile'),
                                       dict(type='LoadRoadAnnotations'),
                                       dict(type='RandomFlip', prob=1.0, direction='horizontal'),
                                       dict(type='PackRoadInputs')],
        data_prefix=dict(img_path=f'img_dir/{split}', seg_map_path=f'ann_dir/{split}',
                         conn_path=f'conn_dir/{split}', **prefix))


def test_connectivity_label_packed_and_flipped_with_mask(synth_root):
    ds = _converted(synth_root, graph_path='graph_dir/train')
    assert len(ds) == 3 and ds.get_data_info(0)['graph_path'].endswith('train_0000.json')
    out = ds[0]['data_samples']
    conn = out.gt_conn_map.data
    raw = cv2.imread(str(synth_root / 'conn_dir' / 'train' / 'train_0000.png'), 0)
    np.testing.assert_array_equal(conn[0].numpy(), raw[:, ::-1])   # flipped like the mask
    mask = out.gt_sem_seg.data[0].numpy()
    assert ((conn[0].numpy() > 0) == (mask > 0)).mean() > 0.97   # classes 1..4 lie on road


def test_missing_connectivity_file_is_reported(synth_root, tmp_path):
    import shutil
    root = tmp_path / 'copy'
    shutil.copytree(synth_root, root)
    (root / 'conn_dir' / 'train' / 'train_0001.png').unlink()
    with pytest.raises(FileNotFoundError, match='train_0001.png'):
        _converted(root)


def test_image_label_size_mismatch_is_reported(synth_root, tmp_path):
    import shutil
    root = tmp_path / 'copy'
    shutil.copytree(synth_root, root)
    cv2.imwrite(str(root / 'ann_dir' / 'train' / 'train_0000.png'), np.zeros((32, 64), np.uint8))
    ds = _converted(root)
    with pytest.raises(ValueError, match='is 32x64 but image .* is 64x64'):
        ds[0]


def test_percentile_stretch_hand_values():
    band = np.arange(101, dtype=np.uint16).reshape(101, 1, 1) + 1000
    out = percentile_stretch(band, low=10, high=90, nodata=None)[:, 0, 0]
    assert out[10] == 0 and out[90] == 255 and out[0] == 0 and out[100] == 255
    assert out[50] == 127  # (1050 - 1010) / 80 * 255 = 127.5 -> 127


def test_sixteen_bit_synthetic_spacenet_tile(tmp_path):
    write_spacenet3(str(tmp_path), num=1, size=64, seed=3, bit_depth=16)
    tif = next((tmp_path / 'RGB-PanSharpen').glob('*.tif'))
    image, profile = read_geotiff_rgb(str(tif))
    assert image.dtype == np.uint8 and image.shape == (64, 64, 3)
    assert image.min() == 0 and image.max() == 255      # stretched
    assert profile['crs'].to_epsg() == 4326
    geojson = next((tmp_path / 'geojson' / 'spacenetroads').glob('*.geojson'))
    labels = geo_tile_labels(str(geojson), profile, width_m=3.0)
    assert 0.25 < labels['gsd_m'] < 0.35 and labels['mask'].any()
    assert labels['graph'].num_edges > 0


def _tile_profile(size=64):
    return dict(transform=from_origin(-115.3, 36.13, 2.7e-6, 2.7e-6),
                crs=rasterio.crs.CRS.from_epsg(4326), height=size, width=size)


def _write_geojson(path, coords, crs=None):
    data = dict(type='FeatureCollection', features=[
        dict(type='Feature', properties={}, geometry=dict(type='LineString', coordinates=c))
        for c in coords])
    if crs:
        data['crs'] = dict(type='name', properties=dict(name=crs))
    path.write_text(json.dumps(data))
    return str(path)


def test_geojson_in_projected_crs_is_reprojected(tmp_path):
    # the same horizontal road through the tile centre in lon/lat and in UTM 11N
    lon0, lat = -115.3 + 5e-6, 36.13 - 32 * 2.7e-6
    lonlat = _write_geojson(tmp_path / 'a.geojson', [[[lon0, lat], [lon0 + 1.6e-4, lat]]])
    a = geo_tile_labels(lonlat, _tile_profile(), width_m=2.0)['mask']
    from rasterio.warp import transform
    xs, ys = transform('EPSG:4326', 'EPSG:32611', [lon0, lon0 + 1.6e-4], [lat, lat])
    utm = _write_geojson(tmp_path / 'b.geojson', [list(zip(xs, ys))],
                         crs='urn:ogc:def:crs:EPSG::32611')
    b = geo_tile_labels(utm, _tile_profile(), width_m=2.0)['mask']
    assert a.sum() > 100 and (a & b).sum() / (a | b).sum() > 0.95


def test_projected_coordinates_without_crs_are_rejected(tmp_path):
    path = _write_geojson(tmp_path / 'c.geojson', [[[652991.4, 3998596.5], [653000.0, 3998596.5]]])
    with pytest.raises(ValueError, match='projected coordinates need a "crs" member'):
        read_road_lines(path)


def test_lines_outside_tile_are_rejected(tmp_path):
    path = _write_geojson(tmp_path / 'd.geojson', [[[-115.0, 36.0], [-115.0, 36.001]]])
    with pytest.raises(ValueError, match='no road line overlaps the tile'):
        geo_tile_labels(path, _tile_profile(), width_m=6.0)


def test_tile_without_road_gives_zero_labels(tmp_path):
    path = _write_geojson(tmp_path / 'e.geojson', [])
    labels = geo_tile_labels(path, _tile_profile(), width_m=6.0)
    assert not labels['mask'].any() and not labels['conn'].any()
    assert labels['graph'].num_nodes == 0


def test_non_line_geometry_is_rejected(tmp_path):
    data = dict(type='FeatureCollection', features=[dict(
        type='Feature', properties={}, geometry=dict(type='Point', coordinates=[-115.3, 36.13]))])
    (tmp_path / 'p.geojson').write_text(json.dumps(data))
    with pytest.raises(ValueError, match='expected LineString or MultiLineString, got Point'):
        read_road_lines(str(tmp_path / 'p.geojson'))


def test_graph_loaded_for_metric(synth_root):
    ds = RoadSegDataset(
        data_root=str(synth_root),
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadRoadAnnotations', with_graph=True),
                  dict(type='PackRoadInputs')],
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val',
                         graph_path='graph_dir/val'))
    sample = ds[0]['data_samples']
    saved = json.loads((synth_root / 'graph_dir' / 'val' / 'val_0000.json').read_text())
    assert len(sample.gt_graph) == len(saved['edges']) > 0
    np.testing.assert_allclose(sample.gt_graph[0], saved['edges'][0]['coords'])
    no_graph = RoadSegDataset(
        data_root=str(synth_root),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadRoadAnnotations', with_graph=True)],
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'))
    with pytest.raises(KeyError, match='has no graph_path'):
        no_graph[0]


def test_synthetic_test_split_is_its_own_and_splits_independent(tmp_path):
    """The test split holds scenes of its own (never the val files), and each
    scene depends only on (seed, split, index): adding test scenes or more
    training scenes leaves the others byte for byte."""
    small, big = tmp_path / 'small', tmp_path / 'big'
    generate_synthetic_roads(str(small), num_train=2, num_val=2, size=64, seed=4)
    generate_synthetic_roads(str(big), num_train=3, num_val=2, size=64, seed=4, num_test=2)
    assert sorted(p.name for p in (big / 'img_dir' / 'test').iterdir()) == [
        'test_0000.png', 'test_0001.png']
    assert not (small / 'img_dir' / 'test').exists()
    for split, name in (('train', 'train_0001.png'), ('val', 'val_0001.png')):
        assert (small / 'img_dir' / split / name).read_bytes() == \
            (big / 'img_dir' / split / name).read_bytes()
    test_imgs = {(big / 'img_dir' / 'test' / n).read_bytes() for n in
                 ('test_0000.png', 'test_0001.png')}
    val_imgs = {(big / 'img_dir' / 'val' / n).read_bytes() for n in
                ('val_0000.png', 'val_0001.png')}
    assert not test_imgs & val_imgs


def test_larger_scenes_hold_more_junctions():
    """Road grids scale with the scene: 256 px scenes hold several junctions and
    dead ends each (graph metrics need them to separate models)."""
    from mmkd_rs.datasets.roads.connectivity_labels import junction_nodes
    from mmkd_rs.datasets.synthetic.roads import render_scene, scene_labels

    def junctions(size):
        return [len(junction_nodes(scene_labels(render_scene(
            np.random.default_rng([0, 2, i]), size))['graph'])) for i in range(4)]

    small, large = junctions(128), junctions(256)
    assert min(large) >= 8
    assert sum(large) > 1.5 * sum(small)
