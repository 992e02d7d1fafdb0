"""Road dataset converters on real SpaceNet 3 / DeepGlobe samples and synthetic layouts."""
import importlib.util
import json
import os.path as osp
import re

import cv2
import numpy as np
import pytest
import rasterio
from PIL import Image
from scipy import ndimage

from _real_data import require_real
from mmkd_rs.datasets.roads.tile_labels import geo_tile_labels
from mmkd_rs.datasets.synthetic.roads import (write_deepglobe, write_massachusetts,
                                              write_spacenet3)

TOOLS = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'dataset_converters')


def _tool(name):
    spec = importlib.util.spec_from_file_location(f'road_tool_{name}',
                                                  osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _iou(a, b):
    a, b = a > 0, b > 0
    return (a & b).sum() / max((a | b).sum(), 1)


def _files(root, folder):
    return sorted(p.name for p in (root / folder).rglob('*') if p.is_file())


def test_spacenet3_converter_on_real_apls_tile(tmp_path):
    src = require_real('spacenet3_roads_apls')
    _tool('spacenet3').main([
        '--img-dir', str(src / 'images'),
        '--geojson-dir', str(src / 'gt_json_prop_wkt' / 'ground_truth_randomized'),
        '-o', str(tmp_path)])
    name = 'AOI_2_Vegas_img0'
    img = cv2.imread(str(tmp_path / 'img_dir' / 'train' / f'{name}.png'))
    mask = cv2.imread(str(tmp_path / 'ann_dir' / 'train' / f'{name}.png'), 0)
    conn = cv2.imread(str(tmp_path / 'conn_dir' / 'train' / f'{name}.png'), 0)
    assert img.shape == (1300, 1300, 3) and mask.shape == conn.shape == (1300, 1300)
    assert set(np.unique(mask)) == {0, 1} and set(np.unique(conn)) == {0, 1, 2, 3, 4}
    assert 0.1 < mask.mean() < 0.35
    graph = json.loads((tmp_path / 'graph_dir' / 'train' / f'{name}.json').read_text())
    degrees = np.bincount([n['degree'] for n in graph['nodes']])
    assert degrees[3:].sum() >= 30        # a parking-lot grid: many junctions
    # graph nodes lie on the road mask
    for n in graph['nodes']:
        x, y = int(min(n['x'], 1299)), int(min(n['y'], 1299))
        assert mask[max(y - 2, 0):y + 3, max(x - 2, 0):x + 3].any()


@pytest.mark.parametrize('tile,width_m,min_iou', [('img1', 6.0, 0.99), ('img198', 16.0, 0.85)])
def test_rasterised_labels_agree_with_reference_rasters(tile, width_m, min_iou):
    """The Xu et al. repository ships masks / centrelines / junctions made from the
    same GeoJSON: our rasterisation on their grid must agree."""
    root = require_real('spacenet3_roads_toy_roadextraction')
    stem = f'RGB-PanSharpen_AOI_2_Vegas_{tile}'
    with rasterio.open(root / 'masks' / f'{stem}_mask.tif') as src:
        ref_mask = src.read(1)
        profile = dict(transform=src.transform, crs=src.crs, height=src.height, width=src.width)
    with rasterio.open(root / 'centerlines' / f'{stem}_c.tif') as src:
        ref_centre = src.read(1) > 0
    ref_junction = np.array(Image.open(root / 'intersections' / f'{stem}_c_point.png')) > 0
    labels = geo_tile_labels(str(root / 'labels' / f'spacenetroads_AOI_2_Vegas_{tile}.geojson'),
                             profile, width_m=width_m, junction_radius_m=6.8)
    assert _iou(labels['mask'], ref_mask) >= min_iou
    centre = labels['centreline'] > 0
    near_ref = ndimage.binary_dilation(ref_centre, iterations=2)
    assert near_ref[centre].mean() > 0.99                                      # precision @2px
    assert ndimage.binary_dilation(centre, iterations=2)[ref_centre].mean() > 0.9  # recall @2px
    n_ref = ndimage.label(ref_junction)[1]
    assert (labels['graph'].degrees() >= 3).sum() == n_ref
    if n_ref:
        assert _iou(labels['junction'], ref_junction) > 0.8


def test_deepglobe_converter_on_real_tiles(tmp_path):
    src = require_real('deepglobe_roads_dlinknet')
    _tool('deepglobe').main([str(src / 'train'), '-o', str(tmp_path), '--val-ratio', '0.5'])
    assert _files(tmp_path, 'img_dir') == ['104.jpg', '113.jpg']
    assert _files(tmp_path, 'conn_dir') == ['104.png', '113.png']
    raw = cv2.imread(str(src / 'train' / '113_mask.png'), 0) >= 128
    split = 'train' if (tmp_path / 'ann_dir' / 'train' / '113.png').exists() else 'val'
    mask = cv2.imread(str(tmp_path / 'ann_dir' / split / '113.png'), 0)
    np.testing.assert_array_equal(mask, raw.astype(np.uint8))
    conn = cv2.imread(str(tmp_path / 'conn_dir' / split / '113.png'), 0)
    assert {1, 2, 3, 4} <= set(np.unique(conn))


def test_synthetic_formats_through_converters(tmp_path):
    write_deepglobe(str(tmp_path / 'dg'), num=2, size=64, seed=0)
    write_spacenet3(str(tmp_path / 'sn'), num=2, size=64, seed=0, bit_depth=16)
    write_massachusetts(str(tmp_path / 'ma'), num=2, size=64, seed=0)
    _tool('deepglobe').main([str(tmp_path / 'dg'), '-o', str(tmp_path / 'dg_out')])
    _tool('spacenet3').main(['--img-dir', str(tmp_path / 'sn' / 'RGB-PanSharpen'),
                             '--geojson-dir', str(tmp_path / 'sn' / 'geojson' / 'spacenetroads'),
                             '-o', str(tmp_path / 'sn_out'), '--lane-width-m', '3'])
    _tool('massachusetts').main([str(tmp_path / 'ma'), '-o', str(tmp_path / 'ma_out')])
    for out in ('dg_out', 'sn_out', 'ma_out'):
        assert len(_files(tmp_path / out, 'ann_dir')) == 2
        assert len(_files(tmp_path / out, 'conn_dir')) == 2
        assert len(_files(tmp_path / out, 'graph_dir')) == 2
    # Massachusetts map is the generator's mask, binarised
    mask = cv2.imread(str(tmp_path / 'ma_out' / 'ann_dir' / 'train' / '10078660_15.png'), 0)
    ref = cv2.imread(str(tmp_path / 'ma' / 'training' / 'map' / '10078660_15.tif'), 0) >= 128
    np.testing.assert_array_equal(mask, ref)
    # SpaceNet: rasterised GeoJSON roads agree with the rendered mask
    sn_path = next((tmp_path / 'sn_out' / 'ann_dir').rglob('AOI_9_Synth_img1.png'))
    sn_mask = cv2.imread(str(sn_path), 0)
    assert sn_mask.any()


def test_converters_report_bad_pairs(tmp_path, capsys):
    write_massachusetts(str(tmp_path / 'ma'), num=1, size=64, seed=0)
    gt = tmp_path / 'ma' / 'training' / 'map' / '10078660_15.tif'
    cv2.imwrite(str(gt), np.zeros((32, 64), np.uint8))
    with pytest.raises(SystemExit) as exit_:
        _tool('massachusetts').main([str(tmp_path / 'ma'), '-o', str(tmp_path / 'out')])
    assert exit_.value.code == 2
    assert re.search('is 64x64 but .* is 32x64', capsys.readouterr().err)
    write_spacenet3(str(tmp_path / 'sn'), num=1, size=64, seed=0)
    for p in (tmp_path / 'sn' / 'geojson' / 'spacenetroads').glob('*'):
        p.unlink()
    with pytest.raises(SystemExit) as exit_:
        _tool('spacenet3').main(['--img-dir', str(tmp_path / 'sn' / 'RGB-PanSharpen'),
                                 '--geojson-dir',
                                 str(tmp_path / 'sn' / 'geojson' / 'spacenetroads'),
                                 '-o', str(tmp_path / 'out2')])
    assert exit_.value.code == 2 and 'have no GeoJSON' in capsys.readouterr().err


def test_spacenet3_converter_labels_only_on_reference_grid(tmp_path):
    """The toy folder has no imagery: its reference masks serve as the tile grid."""
    root = require_real('spacenet3_roads_toy_roadextraction')
    _tool('spacenet3').main(['--img-dir', str(root / 'masks'), '--geojson-dir',
                             str(root / 'labels'), '-o', str(tmp_path), '--labels-only',
                             '--val-ratio', '0'])
    assert not (tmp_path / 'img_dir').exists()
    ours = cv2.imread(str(tmp_path / 'ann_dir' / 'train' / 'AOI_2_Vegas_img1.png'), 0)
    with rasterio.open(root / 'masks' / 'RGB-PanSharpen_AOI_2_Vegas_img1_mask.tif') as src:
        assert _iou(ours, src.read(1)) > 0.99
    empty_junctions = cv2.imread(
        str(tmp_path / 'junction_dir' / 'train' / 'AOI_2_Vegas_img198.png'), 0)
    assert not empty_junctions.any()      # img198: two lines, no junction (as the reference)


def test_split_names_test_ratio_keeps_the_train_val_draw():
    from mmkd_rs.datasets.roads.layout import split_names
    names = [f'tile{i:02d}' for i in range(20)]
    two = split_names(names, 0.2, seed=3)
    three = split_names(names, 0.2, seed=3, test_ratio=0.25)
    assert set(two) == {'train', 'val'} and set(three) == {'train', 'val', 'test'}
    assert three['val'] == two['val'] and len(three['val']) == 4
    assert len(three['test']) == 5 and len(three['train']) == 11
    assert sorted(three['train'] + three['val'] + three['test']) == names
    assert set(three['test']) <= set(two['train'])
    # tiny folders: each asked-for split keeps a sample, training keeps one
    small = split_names(['a', 'b', 'c'], 0.1, seed=0, test_ratio=0.1)
    assert [len(small[k]) for k in ('train', 'val', 'test')] == [1, 1, 1]
    crowded = split_names(list('abcd'), 0.75, seed=0, test_ratio=0.25)
    assert [len(crowded[k]) for k in ('train', 'val', 'test')] == [1, 3, 0]


def test_road_converters_write_a_test_split_or_one_whole_split(tmp_path, capsys):
    write_deepglobe(str(tmp_path / 'dg'), num=4, size=64, seed=0)
    _tool('deepglobe').main([str(tmp_path / 'dg'), '-o', str(tmp_path / 'three'),
                             '--val-ratio', '0.25', '--test-ratio', '0.25'])
    counts = {s: len(list((tmp_path / 'three' / 'ann_dir' / s).glob('*.png')))
              for s in ('train', 'val', 'test')}
    assert counts == dict(train=2, val=1, test=1)
    _tool('deepglobe').main([str(tmp_path / 'dg'), '-o', str(tmp_path / 'whole'),
                             '--split', 'test'])
    assert sorted(p.name for p in (tmp_path / 'whole' / 'ann_dir').iterdir()) == ['test']
    assert len(list((tmp_path / 'whole' / 'conn_dir' / 'test').glob('*.png'))) == 4
    write_spacenet3(str(tmp_path / 'sn'), num=2, size=64, seed=0, bit_depth=16)
    _tool('spacenet3').main(['--img-dir', str(tmp_path / 'sn' / 'RGB-PanSharpen'),
                             '--geojson-dir', str(tmp_path / 'sn' / 'geojson' / 'spacenetroads'),
                             '-o', str(tmp_path / 'sn_val'), '--lane-width-m', '3',
                             '--split', 'val'])
    assert sorted(p.name for p in (tmp_path / 'sn_val' / 'ann_dir').iterdir()) == ['val']
    # a split left empty is one clear error, before anything is written
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        _tool('deepglobe').main([str(tmp_path / 'dg'), '-o', str(tmp_path / 'none'),
                                 '--val-ratio', '0.75', '--test-ratio', '0.25'])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert 'the test split would be empty' in err and '--split' in err
    assert not (tmp_path / 'none').exists()
    # one sample: nothing to split, it goes to train and the empty splits are named
    write_deepglobe(str(tmp_path / 'one'), num=1, size=64, seed=0)
    _tool('deepglobe').main([str(tmp_path / 'one'), '-o', str(tmp_path / 'one_out')])
    assert 'val split(s) stay empty' in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / 'one_out' / 'ann_dir').iterdir()) == ['train']


def test_every_converter_option_has_help():
    """Each option of each converter says what it is (units, scales) in --help."""
    import argparse
    names = sorted(p[:-3] for p in __import__('os').listdir(TOOLS) if p.endswith('.py'))
    assert len(names) >= 9

    class Parsed(Exception):
        pass

    def capture(self, args=None, namespace=None):
        raise Parsed(self)

    missing = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(argparse.ArgumentParser, 'parse_args', capture)
        for name in names:
            with pytest.raises(Parsed) as parsed:
                _tool(name).parse_args([])
            parser = parsed.value.args[0]
            missing += [f'{name}: {a.option_strings or a.dest}' for a in parser._actions
                        if not a.help]
    assert not missing, missing
