"""Bi-temporal datasets: real LEVIR-CD / WHU-CD / DSIFN-CD samples, layouts, bad input."""
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from mmkd_rs.datasets import (BiTemporalDataset, DSIFNCDDataset, LEVIRCDDataset,
                              S2LookingDataset, WHUCDDataset)
from mmkd_rs.datasets.synthetic import generate_synthetic_levir
from mmkd_rs.registry import DATASETS
from _real_data import require_real

LOAD = [dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
        dict(type='LoadBiTemporalAnnotations'),
        dict(type='PackBiTemporalInputs')]


@pytest.fixture(autouse=True)
def _scope():
    init_default_scope('mmkd_rs')


def _write_triplet(root, name, size_a=(8, 8), size_b=(8, 8), label=None, bands_b=3):
    for sub in ('A', 'B', 'label'):
        (root / sub).mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(root / 'A' / name), np.full(size_a + (3, ), 100, np.uint8))
    cv2.imwrite(str(root / 'B' / name), np.full(size_b + (bands_b, ), 120, np.uint8))
    if label is None:
        label = np.zeros(size_a, np.uint8)
        label[2:4, 2:6] = 255
    cv2.imwrite(str(root / 'label' / name), label)


@pytest.mark.parametrize('cls, subdir, name, n_samples, shape, changed', [
    (LEVIRCDDataset, 'levir_cd_1024_ucd_scm', 'test_12', 1, (1024, 1024), 105052),
    (LEVIRCDDataset, 'levir_cd_256_bit', 'train_386_0512_0768', 9, (256, 256), 0),
    (LEVIRCDDataset, 'levir_cd_256_bit', 'val_27_0000_0256', 9, (256, 256), 7933),
    (WHUCDDataset, 'whu_cd_1024_ucd_scm', '000121', 2, (1024, 1024), 108521),
    (DSIFNCDDataset, 'dsifn_cd_256_changeformer', '4_4', 5, (256, 256), 42741),
])
def test_real_samples_flat_layout(cls, subdir, name, n_samples, shape, changed):
    """Counts of change pixels are those of PROVENANCE.md / the 0/255 files."""
    root = require_real(subdir)
    dataset = cls(data_root=str(root), pipeline=LOAD)
    assert len(dataset) == n_samples
    index = [osp.basename(info['img_path']) for info in dataset.load_data_list()]
    sample = dataset[[i for i, n in enumerate(index) if n.startswith(name + '.')][0]]
    inputs, data_sample = sample['inputs'], sample['data_samples']
    assert tuple(inputs.shape) == (6, ) + shape
    assert data_sample.channels_per_date == (3, 3)
    assert data_sample.img_path2.endswith(osp.join('B', name + '.png'))
    label = data_sample.gt_sem_seg.data
    assert set(label.unique().tolist()) <= {0, 1}
    assert int((label == 1).sum()) == changed
    # Date A comes first on the channel axis, in RGB order.
    rgb_a = cv2.imread(str(root / 'A' / f'{name}.png'))[..., ::-1]
    assert np.array_equal(inputs[:3].permute(1, 2, 0).numpy(), rgb_a)


def test_split_layout_and_registry(tmp_path):
    generate_synthetic_levir(str(tmp_path), num_train=3, num_val=2, num_test=1, size=32)
    for split, count in (('train', 3), ('val', 2), ('test', 1)):
        dataset = DATASETS.build(dict(
            type='LEVIRCDDataset', data_root=str(tmp_path), pipeline=LOAD,
            data_prefix=dict(img_path=f'{split}/A', img_path2=f'{split}/B',
                             seg_map_path=f'{split}/label')))
        assert len(dataset) == count
        assert dataset.metainfo['classes'] == ('unchanged', 'changed')
        assert dataset[0]['inputs'].shape == (6, 32, 32)
    for name in ('BiTemporalDataset', 'WHUCDDataset', 'DSIFNCDDataset', 'CDDDataset',
                 'S2LookingDataset'):
        assert issubclass(DATASETS.get(name), BiTemporalDataset)


def test_ann_file_and_s2looking_folders(tmp_path):
    for sub, name in (('Image1', 'a.png'), ('Image2', 'a.png'), ('label', 'a.png'),
                      ('Image1', 'b.png'), ('Image2', 'b.png'), ('label', 'b.png')):
        (tmp_path / sub).mkdir(exist_ok=True)
        cv2.imwrite(str(tmp_path / sub / name), np.zeros((4, 4, 3), np.uint8))
    (tmp_path / 'list.txt').write_text('b\n')
    dataset = S2LookingDataset(data_root=str(tmp_path), ann_file='list.txt')
    assert [osp.basename(d['img_path2']) for d in dataset.load_data_list()] == ['b.png']
    assert dataset.load_data_list()[0]['img_path2'].endswith(osp.join('Image2', 'b.png'))


@pytest.mark.parametrize('missing, message', [
    ('B', 'has no date-B partner'),
    ('label', 'has no change label'),
    ('A', 'has no date-A partner'),
])
def test_missing_partner_named(tmp_path, missing, message):
    _write_triplet(tmp_path, 'x.png')
    _write_triplet(tmp_path, 'y.png')
    (tmp_path / missing / 'y.png').unlink()
    with pytest.raises(FileNotFoundError, match=message) as error:
        LEVIRCDDataset(data_root=str(tmp_path))
    assert 'y.png' in str(error.value)


def test_size_mismatch_named(tmp_path):
    _write_triplet(tmp_path, 'x.png', size_b=(8, 6))
    dataset = LEVIRCDDataset(data_root=str(tmp_path), pipeline=LOAD)
    with pytest.raises(ValueError, match='differ in size') as error:
        dataset[0]
    assert osp.join('B', 'x.png') in str(error.value)


def test_label_values_outside_binary_named(tmp_path):
    label = np.zeros((8, 8), np.uint8)
    label[0, 0], label[1, 1] = 255, 128
    _write_triplet(tmp_path, 'x.png', label=label)
    dataset = LEVIRCDDataset(data_root=str(tmp_path), pipeline=LOAD)
    with pytest.raises(ValueError, match=r'values \[0, 128, 255\] are outside') as error:
        dataset[0]
    assert osp.join('label', 'x.png') in str(error.value)


def test_band_count_vs_config_named(tmp_path):
    _write_triplet(tmp_path, 'x.png', bands_b=1)
    dataset = LEVIRCDDataset(data_root=str(tmp_path), pipeline=LOAD)
    with pytest.raises(ValueError, match='1 bands, but the config expects 3') as error:
        dataset[0]
    assert osp.join('B', 'x.png') in str(error.value)


def test_empty_or_absent_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match='folder not found'):
        LEVIRCDDataset(data_root=str(tmp_path))
    for sub in ('A', 'B', 'label'):
        (tmp_path / sub).mkdir()
    with pytest.raises(FileNotFoundError, match='no date-A image'):
        LEVIRCDDataset(data_root=str(tmp_path))


@pytest.mark.filterwarnings('ignore::rasterio.errors.NotGeoreferencedWarning')
def test_dsifn_accepts_jpg_images_and_tif_labels(tmp_path):
    rasterio = pytest.importorskip('rasterio')
    for sub in ('A', 'B', 'label'):
        (tmp_path / sub).mkdir()
    cv2.imwrite(str(tmp_path / 'A' / 'k.jpg'), np.zeros((8, 8, 3), np.uint8))
    cv2.imwrite(str(tmp_path / 'B' / 'k.jpg'), np.zeros((8, 8, 3), np.uint8))
    label = np.zeros((1, 8, 8), np.uint8)
    label[0, :2] = 255
    with rasterio.open(tmp_path / 'label' / 'k.tif', 'w', driver='GTiff', width=8, height=8,
                       count=1, dtype='uint8') as dst:
        dst.write(label)
    sample = DSIFNCDDataset(data_root=str(tmp_path), pipeline=LOAD)[0]
    assert int(sample['data_samples'].gt_sem_seg.data.sum()) == 16


def test_unlabeled_pairs_with_seg_map_path_none(tmp_path):
    """seg_map_path=None reads pairs without labels (as for inference) instead of
    failing in mmengine's prefix joining."""
    generate_synthetic_levir(str(tmp_path), num_train=1, num_val=1, num_test=3, size=32)
    (tmp_path / 'test' / 'label' / 'test_0.png').unlink()      # labels are never read
    dataset = DATASETS.build(dict(
        type='LEVIRCDDataset', data_root=str(tmp_path),
        data_prefix=dict(img_path='test/A', img_path2='test/B', seg_map_path=None),
        pipeline=[dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
                  dict(type='PackBiTemporalInputs')]))
    assert len(dataset) == 3
    assert all('seg_map_path' not in info for info in dataset.data_list)
    sample = dataset[0]
    assert sample['inputs'].shape == (6, 32, 32)
    assert 'gt_sem_seg' not in sample['data_samples']
