"""Bad-input campaign, road family (converted mmseg layout, road loaders, converters).

Each case damages one file of a tiny synthetic road dataset, or feeds a converter a
folder it cannot use, and checks the outcome (docs/bad_input.md lists the cases).
"""
import os
import shutil

import cv2
import numpy as np
import pytest
from _bad_input import REPO, load_as_training, tool_main, truncate, user_error

from mmkd_rs.datasets.synthetic.roads import (generate_synthetic_roads, write_deepglobe,
                                              write_spacenet3)

CONFIG = REPO / 'configs' / 'tskd' / 'linknet_r18w32_1xb4-quick_synth-roads-64x64.py'


@pytest.fixture(scope='module')
def roads_source(tmp_path_factory):
    return generate_synthetic_roads(str(tmp_path_factory.mktemp('roads') / 'src'),
                                    num_train=2, num_val=1, size=64, num_test=1)


@pytest.fixture
def roads(roads_source, tmp_path):
    """A fresh copy; training sample 0 is ``train_0000``, validation's ``val_0000``."""
    return shutil.copytree(roads_source, tmp_path / 'roads')


def options(root):
    return {f'{split}_dataloader.dataset.data_root': str(root)
            for split in ('train', 'val', 'test')}


def test_clean_copy_loads(roads):
    assert tuple(load_as_training(CONFIG, options(roads))['inputs'].shape)[0] == 3


@pytest.mark.parametrize('keep', [0.5, 0.0], ids=['truncated', 'zero-byte'])
def test_unreadable_image(roads, capsys, keep):
    path = truncate(roads / 'img_dir/train/train_0000.png', keep)
    user_error(capsys, lambda: load_as_training(CONFIG, options(roads)), path, 'cannot decode')


def test_truncated_road_mask(roads, capsys):
    path = truncate(roads / 'ann_dir/train/train_0000.png', 0.5)
    user_error(capsys, lambda: load_as_training(CONFIG, options(roads)), path, 'decode')


def test_road_mask_of_another_size(roads, capsys):
    path = roads / 'ann_dir/train/train_0000.png'
    cv2.imwrite(str(path), np.zeros((32, 32), np.uint8))
    user_error(capsys, lambda: load_as_training(CONFIG, options(roads)), path, 'is 32x32')


def test_missing_road_mask(roads, capsys):
    os.remove(roads / 'ann_dir/train/train_0000.png')
    user_error(capsys, lambda: load_as_training(CONFIG, options(roads)),
               'ann_dir/train/train_0000.png', 'has no seg_map file')


def test_corrupt_road_graph(roads, capsys):
    path = truncate(roads / 'graph_dir/val/val_0000.json', 0.5)
    user_error(capsys, lambda: load_as_training(CONFIG, options(roads), 'val_dataloader'),
               path, 'JSON')


def test_wrong_data_root(tmp_path, capsys):
    user_error(capsys, lambda: load_as_training(CONFIG, options(tmp_path / 'nowhere')),
               'RoadSegDataset (train_dataloader)', 'nowhere', 'generate_synthetic_roads.py')


# --- converters -------------------------------------------------------------------

def spacenet3(tmp_path):
    """Two synthetic SpaceNet 3 tiles (``RGB-PanSharpen/``, ``geojson/``)."""
    src = tmp_path / 'sn3'
    write_spacenet3(str(src), num=2, size=64)
    return src, src / 'RGB-PanSharpen', src / 'geojson' / 'spacenetroads'


def run_spacenet3(img_dir, geojson_dir, out):
    return tool_main('dataset_converters/spacenet3.py')(
        ['--img-dir', str(img_dir), '--geojson-dir', str(geojson_dir), '-o', str(out),
         '--val-ratio', '0.5'])


def test_spacenet3_file_without_the_tile_token(tmp_path, capsys):
    _, img_dir, geojson_dir = spacenet3(tmp_path)
    first = sorted(os.listdir(img_dir))[0]
    os.rename(img_dir / first, img_dir / 'vegas_tile_1.tif')
    user_error(capsys, lambda: run_spacenet3(img_dir, geojson_dir, tmp_path / 'out'),
               'vegas_tile_1.tif', 'AOI_<n>_<city>_img<k>')


def test_spacenet3_names_as_the_dataset_ships_them(tmp_path):
    """SN3_roads_train_AOI_2_Vegas_PS-RGB_img1.tif pairs with
    SN3_roads_train_AOI_2_Vegas_geojson_roads_img1.geojson."""
    _, img_dir, geojson_dir = spacenet3(tmp_path)
    for folder, part in ((img_dir, 'PS-RGB'), (geojson_dir, 'geojson_roads')):
        for name in os.listdir(folder):
            stem, ext = os.path.splitext(name)
            city, img = stem.split('AOI_')[1].rsplit('_', 1)
            os.rename(folder / name, folder / f'SN3_roads_train_AOI_{city}_{part}_{img}{ext}')
    run_spacenet3(img_dir, geojson_dir, tmp_path / 'out')
    written = sorted(os.listdir(tmp_path / 'out' / 'ann_dir' / 'train') +
                     os.listdir(tmp_path / 'out' / 'ann_dir' / 'val'))
    assert len(written) == 2 and all(n.startswith('AOI_') and '_img' in n for n in written)


def test_spacenet3_tile_without_geojson(tmp_path, capsys):
    _, img_dir, geojson_dir = spacenet3(tmp_path)
    missing = sorted(os.listdir(geojson_dir))[0]
    os.remove(geojson_dir / missing)
    user_error(capsys, lambda: run_spacenet3(img_dir, geojson_dir, tmp_path / 'out'),
               'have no GeoJSON', str(geojson_dir))


def test_spacenet3_corrupt_geojson(tmp_path, capsys):
    _, img_dir, geojson_dir = spacenet3(tmp_path)
    paths = [truncate(geojson_dir / n, 0.5) for n in sorted(os.listdir(geojson_dir))]
    user_error(capsys, lambda: run_spacenet3(img_dir, geojson_dir, tmp_path / 'out'),
               'is not valid JSON', 'geojson')
    assert paths


def test_spacenet3_truncated_geotiff(tmp_path, capsys):
    _, img_dir, geojson_dir = spacenet3(tmp_path)
    for name in os.listdir(img_dir):
        truncate(img_dir / name, 0.3)
    user_error(capsys, lambda: run_spacenet3(img_dir, geojson_dir, tmp_path / 'out'),
               'RGB-PanSharpen')


def test_deepglobe_folder_without_tiles(tmp_path, capsys):
    (tmp_path / 'empty').mkdir()
    user_error(capsys, lambda: tool_main('dataset_converters/deepglobe.py')(
        [str(tmp_path / 'empty'), '-o', str(tmp_path / 'out')]), 'no *_sat.jpg', 'empty')


def test_deepglobe_non_utf8_file_name_is_read(tmp_path):
    """OpenCV's imread crashed the converter (signal 11, no message) on such names."""
    src = tmp_path / 'dg'
    write_deepglobe(str(src), num=4, size=64)
    first = sorted(n for n in os.listdir(src) if n.endswith('_sat.jpg'))[0][:-len('_sat.jpg')]
    for suffix in ('_sat.jpg', '_mask.png'):
        os.rename(src / (first + suffix), os.fsencode(src) + b'/t\xe9' + suffix.encode())
    tool_main('dataset_converters/deepglobe.py')([str(src), '-o', str(tmp_path / 'out')])
    names = [os.fsencode(n) for d in ('train', 'val')
             for n in os.listdir(tmp_path / 'out' / 'img_dir' / d)]
    assert len(names) == 4 and b't\xe9.jpg' in names
