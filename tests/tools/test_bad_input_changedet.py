"""Bad-input campaign, change-detection family (LEVIR-CD layout, bi-temporal loaders).

Each case damages one file of a tiny synthetic LEVIR-CD copy and checks what
``tools/train.py`` does with it (docs/bad_input.md lists the cases).
"""
import os
import shutil

import cv2
import numpy as np
import pytest
from _bad_input import REPO, load_as_training, truncate, user_error, write_geotiff

from mmkd_rs.datasets.synthetic.levir import generate_synthetic_levir

CONFIG = REPO / 'configs' / 'changedet' / 'siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'


@pytest.fixture(scope='module')
def levir_source(tmp_path_factory):
    return generate_synthetic_levir(str(tmp_path_factory.mktemp('levir') / 'src'),
                                    num_train=2, num_val=1, num_test=1, size=32)


@pytest.fixture
def levir(levir_source, tmp_path):
    """A fresh copy: ``train/{A,B,label}/train_{0,1}.png`` (sample 0 is ``train_0``)."""
    return shutil.copytree(levir_source, tmp_path / 'levir')


def options(root, **extra):
    opts = {f'{split}_dataloader.dataset.data_root': str(root)
            for split in ('train', 'val', 'test')}
    opts.update(extra)
    return opts


def test_clean_copy_loads(levir):
    sample = load_as_training(CONFIG, options(levir))
    assert tuple(sample['inputs'].shape) == (6, 32, 32)


def test_dates_of_different_size(levir, capsys):
    cv2.imwrite(str(levir / 'train/B/train_0.png'), np.zeros((16, 16, 3), np.uint8))
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'date A and date B differ in size', 'train/B/train_0.png')


def test_missing_date_b_partner(levir, capsys):
    os.remove(levir / 'train/B/train_0.png')
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/A/train_0.png', 'has no date-B partner')


def test_date_b_file_without_date_a(levir, capsys):
    shutil.copy(levir / 'train/B/train_0.png', levir / 'train/B/extra.png')
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/B/extra.png', 'has no date-A partner')


def test_missing_change_label(levir, capsys):
    os.remove(levir / 'train/label/train_0.png')
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/A/train_0.png', 'has no change label')


def test_label_values_outside_the_format(levir, capsys):
    cv2.imwrite(str(levir / 'train/label/train_0.png'), np.full((32, 32), 128, np.uint8))
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/label/train_0.png', 'change label values [128]')


def test_label_of_another_size(levir, capsys):
    cv2.imwrite(str(levir / 'train/label/train_0.png'), np.zeros((16, 16), np.uint8))
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/label/train_0.png', 'differs from the image size')


def test_band_count_other_than_channels_per_date(levir, capsys):
    cv2.imwrite(str(levir / 'train/A/train_0.png'), np.zeros((32, 32, 4), np.uint8))
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/A/train_0.png', '4 bands, but the config expects 3 for date A')


@pytest.mark.parametrize('keep', [0.5, 0.0], ids=['truncated', 'zero-byte'])
def test_unreadable_png(levir, capsys, keep):
    truncate(levir / 'train/A/train_0.png', keep)
    user_error(capsys, lambda: load_as_training(CONFIG, options(levir)),
               'train/A/train_0.png', 'cannot decode')


def _non_utf8(levir, split):
    """Rename ``<split>_0`` in A, B and label to a Latin-1 name (not valid UTF-8)."""
    for sub in ('A', 'B', 'label'):
        os.rename(levir / split / sub / f'{split}_0.png',
                  os.fsencode(levir / split / sub) + b'/\xe9t\xe9.png')


def test_non_utf8_file_name_is_read(levir):
    """OpenCV's imread crashed the process (signal 11, no message) on such names."""
    reference = load_as_training(CONFIG, options(levir), 'val_dataloader')
    _non_utf8(levir, 'val')
    sample = load_as_training(CONFIG, options(levir), 'val_dataloader')
    assert os.fsencode(sample['data_samples'].img_path).endswith(b'/\xe9t\xe9.png')
    assert (sample['inputs'] == reference['inputs']).all()


def _geotiff_pair(levir, crs_b='EPSG:32631', origin_b=(592000.0, 5751000.0)):
    """Sample 0 as GeoTIFFs (the rest removed); date B on the given grid."""
    for sub in ('A', 'B', 'label'):
        for name in os.listdir(levir / 'train' / sub):
            if name != 'train_0.png':
                os.remove(levir / 'train' / sub / name)
    for sub, crs, origin in (('A', 'EPSG:32631', (592000.0, 5751000.0)),
                             ('B', crs_b, origin_b)):
        image = cv2.imread(str(levir / 'train' / sub / 'train_0.png'))
        write_geotiff(levir / 'train' / sub / 'train_0.tif', image[..., ::-1], crs, origin)
        os.remove(levir / 'train' / sub / 'train_0.png')
    return options(levir, **{'train_dataloader.dataset.img_suffix': '.tif'})


@pytest.mark.parametrize('grid', [dict(crs_b='EPSG:32632'),
                                  dict(origin_b=(592010.0, 5751000.0))],
                         ids=['crs', 'transform'])
def test_misregistered_geotiff_dates(levir, capsys, grid):
    opts = _geotiff_pair(levir, **grid)
    user_error(capsys, lambda: load_as_training(CONFIG, opts),
               'train/A/train_0.tif', 'train/B/train_0.tif', 'allow_misregistered=True')


def test_misregistered_dates_allowed_on_purpose(levir):
    opts = _geotiff_pair(levir, origin_b=(592010.0, 5751000.0))
    opts['train_dataloader.dataset.pipeline.0.allow_misregistered'] = True
    sample = load_as_training(CONFIG, opts)
    assert sample['data_samples'].crs == 'EPSG:32631'


def test_truncated_geotiff_date(levir, capsys):
    opts = _geotiff_pair(levir)
    truncate(levir / 'train/A/train_0.tif', 0.3)
    user_error(capsys, lambda: load_as_training(CONFIG, opts), 'train/A/train_0.tif')


def test_split_list_naming_a_missing_sample(levir, tmp_path, capsys):
    (tmp_path / 'list.txt').write_text('train_0\nnot_there\n')
    opts = options(levir, **{'train_dataloader.dataset.ann_file': str(tmp_path / 'list.txt')})
    user_error(capsys, lambda: load_as_training(CONFIG, opts), 'list.txt', "'not_there'")


def test_wrong_data_root(tmp_path, capsys):
    user_error(capsys, lambda: load_as_training(CONFIG, options(tmp_path / 'nowhere')),
               'LEVIRCDDataset (train_dataloader)', 'nowhere', 'Expected layout')


def test_train_tool_stops_at_the_bad_pair(levir, tmp_path, capsys):
    """The whole tool: the error surfaces through the runner's dataloader."""
    from train import main
    cv2.imwrite(str(levir / 'train/B/train_0.png'), np.zeros((16, 16, 3), np.uint8))
    os.remove(levir / 'train/B/train_1.png')
    os.remove(levir / 'train/A/train_1.png')
    os.remove(levir / 'train/label/train_1.png')
    user_error(capsys, lambda: main([
        str(CONFIG), '--work-dir', str(tmp_path / 'wd'), '--cfg-options',
        *[f'{k}={v}' for k, v in options(levir).items()], 'train_dataloader.batch_size=1',
        'experiment_name=bad-cd', 'visualizer.name=bad-cd']),
        'date A and date B differ in size', 'train/B/train_0.png')


def test_data_preprocessor_for_other_band_counts(levir, tmp_path, capsys):
    """Config and data disagree on the bands per date: named at the first batch."""
    from train import main
    user_error(capsys, lambda: main([
        str(CONFIG), '--work-dir', str(tmp_path / 'wd'), '--cfg-options',
        *[f'{k}={v}' for k, v in options(levir).items()], 'train_dataloader.batch_size=1',
        'train_dataloader.dataset.pipeline.0.channels_per_date=None',
        'model.data_preprocessor.mean=[[0,0,0,0],[0,0,0]]',
        'model.data_preprocessor.std=[[1,1,1,1],[1,1,1]]',
        'experiment_name=bad-cd-channels', 'visualizer.name=bad-cd-channels']),
        'train/A/train_', '6 input channels', '(4, 3) bands per date')
