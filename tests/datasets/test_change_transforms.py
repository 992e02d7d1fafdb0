"""Bi-temporal transforms: shared geometry, independent photometry, swap, packing, GeoTIFF."""
import numpy as np
import pytest
import torch

from mmkd_rs.datasets.transforms import (BiTemporalPhotoMetricDistortion, BiTemporalRandomCrop,
                                         BiTemporalRandomFlip, BiTemporalRandomRot90,
                                         BiTemporalRandomRotate, BiTemporalResize,
                                         BiTemporalSwap, LoadBiTemporalAnnotations,
                                         LoadBiTemporalImages, PackBiTemporalInputs)


def _results(h=24, w=32, bands_b=3):
    """Date B = date A + 10 (first bands), label = date A pixels whose red > 128."""
    rng = np.random.default_rng(0)
    img = rng.integers(0, 240, (h, w, 3)).astype(np.uint8)
    img2 = np.repeat(img[..., :1], bands_b, axis=2) + 10 if bands_b != 3 else img + 10
    label = (img[..., 0] > 128).astype(np.uint8)
    return dict(img=img, img2=img2, gt_seg_map=label, seg_fields=['gt_seg_map'],
                img_shape=(h, w), img_path='a.png', img_path2='b.png')


def _assert_same_geometry(results):
    img, img2, label = results['img'], results['img2'], results['gt_seg_map']
    assert np.array_equal(img2[..., 0], img[..., 0] + 10)
    assert np.array_equal(label, (img[..., 0] > 128).astype(np.uint8))


@pytest.mark.parametrize('transform', [
    BiTemporalRandomCrop(crop_size=(16, 12)),
    BiTemporalRandomCrop(crop_size=(16, 12), cat_max_ratio=0.75),
    BiTemporalRandomFlip(prob=1.0, direction=['horizontal', 'vertical', 'diagonal']),
    BiTemporalRandomRot90(prob=1.0),
])
@pytest.mark.parametrize('seed', [0, 1, 2])
def test_geometry_is_shared_by_dates_and_label(transform, seed):
    np.random.seed(seed)
    before = _results()
    after = transform(dict(before, img=before['img'].copy()))
    _assert_same_geometry(after)
    assert after['img_shape'] == after['img'].shape[:2]
    assert not np.array_equal(after['img'], before['img'])


def test_rot90_turns_and_crop_size():
    np.random.seed(0)
    out = BiTemporalRandomRot90(prob=1.0)(_results(h=24, w=32))
    assert out['img'].shape[:2] in {(32, 24), (24, 32)}
    out = BiTemporalRandomCrop(crop_size=(16, 12))(_results())
    assert out['img'].shape == (16, 12, 3) and out['img2'].shape == (16, 12, 3)
    assert out['gt_seg_map'].shape == (16, 12)


def test_rotate_pads_label_with_ignore_and_keeps_dates_aligned():
    results = _results()
    results['img2'] = results['img'].copy()
    out = BiTemporalRandomRotate(prob=1.0, degree=(30, 30))(results)
    assert np.array_equal(out['img'], out['img2'])
    assert (out['gt_seg_map'] == 255).any()  # corners padded with ignore
    assert (out['img'][out['gt_seg_map'] == 255] == 0).mean() > 0.7  # bilinear rim aside


def test_resize_both_dates_nearest_label():
    out = BiTemporalResize(scale=(16, 12), keep_ratio=False)(_results(bands_b=5))
    assert out['img'].shape == (12, 16, 3) and out['img2'].shape == (12, 16, 5)
    assert set(np.unique(out['gt_seg_map'])) <= {0, 1}


def test_photometric_jitter_is_independent_per_date():
    transform = BiTemporalPhotoMetricDistortion()
    differing = 0
    for seed in range(8):
        np.random.seed(seed)
        results = _results()
        results['img2'] = results['img'].copy()
        label = results['gt_seg_map'].copy()
        out = transform(results)
        differing += not np.array_equal(out['img'], out['img2'])
        assert np.array_equal(out['gt_seg_map'], label)
    assert differing >= 6


def test_photometric_rejects_non_rgb():
    with pytest.raises(TypeError, match='8-bit 3-band'):
        BiTemporalPhotoMetricDistortion()(_results(bands_b=4))


def test_swap():
    results = _results()
    out = BiTemporalSwap(prob=1.0)(dict(results))
    assert out['dates_swapped'] and out['img'] is results['img2']
    assert (out['img_path'], out['img_path2']) == ('b.png', 'a.png')
    assert BiTemporalSwap(prob=0.0)(dict(results))['img'] is results['img']
    with pytest.raises(ValueError, match='different band counts'):
        BiTemporalSwap(prob=1.0)(_results(bands_b=2))


def test_pack_concatenates_dates_a_first():
    out = PackBiTemporalInputs()(_results(bands_b=2))
    inputs, sample = out['inputs'], out['data_samples']
    assert inputs.shape == (5, 24, 32) and inputs.dtype == torch.uint8
    assert torch.equal(inputs[:3], torch.from_numpy(_results()['img']).permute(2, 0, 1))
    assert sample.channels_per_date == (3, 2)
    assert sample.img_path2 == 'b.png'
    assert sample.gt_sem_seg.data.shape == (1, 24, 32)
    mixed = _results()
    mixed['img2'] = mixed['img2'].astype(np.float32) / 255
    assert PackBiTemporalInputs()(mixed)['inputs'].dtype == torch.float32


def test_geotiff_bands_crs_and_transform(tmp_path):
    rasterio = pytest.importorskip('rasterio')
    from rasterio.transform import from_origin
    geo = from_origin(500000.0, 3300000.0, 0.5, 0.5)
    data = np.arange(4 * 6 * 5, dtype=np.uint16).reshape(4, 6, 5)
    for name in ('a.tif', 'b.tif'):
        with rasterio.open(tmp_path / name, 'w', driver='GTiff', width=5, height=6, count=4,
                           dtype='uint16', crs='EPSG:32615', transform=geo) as dst:
            dst.write(data)
    results = LoadBiTemporalImages(channels_per_date=(4, 4))(
        dict(img_path=str(tmp_path / 'a.tif'), img_path2=str(tmp_path / 'b.tif')))
    assert results['img'].shape == (6, 5, 4) and results['img'].dtype == np.uint16
    assert np.array_equal(results['img'][..., 2], data[2])
    assert results['crs'].to_epsg() == 32615
    assert results['transform'] == geo
    packed = PackBiTemporalInputs()(results)['data_samples']
    assert packed.transform == geo and packed.channels_per_date == (4, 4)


@pytest.mark.parametrize('values, label_format, expected', [
    ([0, 255], 'auto', [0, 1]),
    ([0, 1], 'auto', [0, 1]),
    ([0, 1, 255], 'auto', [0, 1, 255]),
    ([0, 255], '0-255', [0, 1]),
    ([0, 3, 250], '0-255-lossy', [0, 0, 1]),
])
def test_label_formats(tmp_path, values, label_format, expected):
    import cv2
    label = np.array([values], np.uint8)
    cv2.imwrite(str(tmp_path / 'l.png'), label)
    out = LoadBiTemporalAnnotations(label_format=label_format)(
        dict(seg_map_path=str(tmp_path / 'l.png'), seg_fields=[]))
    assert out['gt_seg_map'].tolist() == [expected]


def test_label_three_band_and_size_check(tmp_path):
    import cv2
    label = np.zeros((4, 4, 3), np.uint8)
    label[0, 0] = 255
    cv2.imwrite(str(tmp_path / 'l.png'), label)
    out = LoadBiTemporalAnnotations()(dict(seg_map_path=str(tmp_path / 'l.png'), seg_fields=[]))
    assert out['gt_seg_map'].sum() == 1
    with pytest.raises(ValueError, match='differs from the image size'):
        LoadBiTemporalAnnotations()(dict(seg_map_path=str(tmp_path / 'l.png'), seg_fields=[],
                                         img=np.zeros((5, 4, 3), np.uint8)))
    label[0, 0, 1] = 0
    cv2.imwrite(str(tmp_path / 'l.png'), label)
    with pytest.raises(ValueError, match='differing bands'):
        LoadBiTemporalAnnotations()(dict(seg_map_path=str(tmp_path / 'l.png'), seg_fields=[]))
