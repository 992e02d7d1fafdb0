"""Paired geometry (one draw for SAR, EO and label), dB scaling, band
selection and packing of ``teacher_inputs``."""
import numpy as np
import pytest

from mmkd_rs.datasets.transforms import (MaskSARNoData, PackPairedSegInputs,
                                         PairedRandomCrop, PairedRandomFlip,
                                         PairedRandomRot90, SARToDecibel,
                                         SelectBands)


def _sample(h=12, w=10):
    """SAR encodes (row, col) in bands; EO encodes them too; label = row."""
    rows, cols = np.mgrid[0:h, 0:w]
    sar = np.stack([rows, cols, rows, cols], -1).astype(np.float32)
    eo = np.stack([rows, cols, rows * 0 + 7], -1).astype(np.uint8)
    return dict(img=sar, teacher_img=eo, gt_seg_map=rows.astype(np.uint8),
                seg_fields=['gt_seg_map'], sar_nodata=rows == 0,
                student_modality='sar', teacher_modality='eo',
                img_shape=(h, w), img_path='x.tif')


def _consistent(r):
    assert np.array_equal(r['img'][..., 0], r['teacher_img'][..., 0])
    assert np.array_equal(r['img'][..., 1], r['teacher_img'][..., 1])
    assert np.array_equal(r['img'][..., 0], r['gt_seg_map'])
    assert np.array_equal(r['sar_nodata'], r['gt_seg_map'] == 0)


@pytest.mark.parametrize('seed', range(5))
def test_paired_geometry_moves_all_arrays_together(seed):
    np.random.seed(seed)
    r = PairedRandomCrop((8, 6))(_sample())
    assert r['img'].shape[:2] == r['teacher_img'].shape[:2] == (8, 6)
    _consistent(r)
    r = PairedRandomRot90(prob=1.0)(r)
    assert r['rot90_k'] in (1, 2, 3)
    _consistent(r)
    r = PairedRandomFlip(prob=1.0, direction=['horizontal', 'vertical'])(r)
    assert r['flip']
    _consistent(r)


def test_flip_and_rot90_exact_values():
    np.random.seed(0)
    r = PairedRandomFlip(prob=1.0, direction='vertical')(_sample(3, 2))
    assert r['gt_seg_map'][:, 0].tolist() == [2, 1, 0]
    np.random.seed(0)
    r = PairedRandomRot90(prob=1.0)(_sample(3, 2))
    k = r['rot90_k']
    assert np.array_equal(r['teacher_img'][..., 1],
                          np.rot90(np.mgrid[0:3, 0:2][1], k))
    assert r['img_shape'] == r['img'].shape[:2]


def test_crop_larger_than_image_keeps_it_whole_and_size_errors():
    r = PairedRandomCrop((20, 4))(_sample())
    assert r['img'].shape[:2] == r['gt_seg_map'].shape == (12, 4)
    assert r['img_shape'] == (12, 4)
    _consistent(r)
    bad = _sample()
    bad['teacher_img'] = bad['teacher_img'][:5]
    with pytest.raises(ValueError, match='differ in size'):
        PairedRandomFlip(prob=1.0)(bad)


def test_sar_to_decibel_linear_and_db():
    r = dict(img=np.array([[[1.0, 0.01, 0.0, np.nan]]], np.float32),
             student_modality='sar')
    out = SARToDecibel('linear', clip_range=(-25, 30), eps=1e-6)(dict(r))
    assert out['img'][0, 0, :3].tolist() == pytest.approx([0.0, -20.0, -25.0])
    assert np.isnan(out['img'][0, 0, 3])
    out = SARToDecibel('db', clip_range=(-0.5, 0.5))(dict(r))
    assert out['img'][0, 0, :3].tolist() == pytest.approx([0.5, 0.01, 0.0])
    # EO (teacher) untouched
    eo = dict(img=np.ones((1, 1, 3), np.float32) * 1000,
              student_modality='eo', teacher_modality=None)
    assert SARToDecibel()(eo)['img'].max() == 1000


def test_mask_nodata_requires_label():
    r = _sample()
    r.pop('gt_seg_map')
    r['seg_fields'] = []
    with pytest.raises(KeyError, match='no label loaded'):
        MaskSARNoData()(r)


def test_select_bands_bgrr_and_pack_teacher_inputs():
    r = _sample(4, 4)
    r['teacher_img'] = np.stack([np.full((4, 4), v, np.uint8)
                                 for v in (10, 20, 30)], -1)  # R, G, B
    r = SelectBands('eo', (2, 0, 0, 1))(r)
    assert r['teacher_img'][0, 0].tolist() == [30, 10, 10, 20]
    with pytest.raises(ValueError, match='has only 4 band'):
        SelectBands('eo', (5, ))(r)
    packed = PackPairedSegInputs()(r)
    assert packed['inputs'].shape == (4, 4, 4)
    assert packed['teacher_inputs'].shape == (4, 4, 4)
    assert packed['teacher_inputs'][:, 0, 0].tolist() == [30, 10, 10, 20]
    assert packed['data_samples'].student_modality == 'sar'
    r.pop('teacher_img')
    assert 'teacher_inputs' not in PackPairedSegInputs()(r)
