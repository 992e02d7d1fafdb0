"""The geometry shared by bi-temporal and paired transforms: one draw moves every
array a family names, arrays of different sizes are refused, any number of
images works by subclassing."""
import numpy as np
import pytest

from mmkd_rs.datasets.transforms import (BiTemporalRandomCrop, BiTemporalRandomFlip,
                                         BiTemporalRandomRot90, PairedRandomCrop)
from mmkd_rs.datasets.transforms.geometry import (SharedRandomCrop, SharedRandomFlip,
                                                  SharedRandomRot90)

DATES = ('img', 'img2', 'img3')


class TriCrop(SharedRandomCrop):
    image_keys = DATES


class TriFlip(SharedRandomFlip):
    image_keys = DATES


class TriRot90(SharedRandomRot90):
    image_keys = DATES


def _three_dates(h=9, w=7):
    """Date k holds row * 100 + col + k; the label holds row * 100 + col."""
    rows, cols = np.mgrid[0:h, 0:w]
    grid = (rows * 100 + cols).astype(np.int32)
    out = {key: np.stack([grid + k, grid + k], -1) for k, key in enumerate(DATES)}
    return dict(out, gt_seg_map=grid.copy(), seg_fields=['gt_seg_map'], img_shape=(h, w))


@pytest.mark.parametrize('seed', range(4))
def test_a_three_date_family_moves_every_array_with_one_draw(seed):
    np.random.seed(seed)
    results = _three_dates()
    for transform in (TriCrop(crop_size=(5, 4)), TriRot90(prob=1.0),
                      TriFlip(prob=1.0, direction=['horizontal', 'vertical'])):
        results = transform(results)
    label = results['gt_seg_map']
    for k, key in enumerate(DATES):
        assert np.array_equal(results[key][..., 1], label + k), key
        assert results[key].flags.c_contiguous
    # the recorded draws say where the window went: rebuild it from the originals
    y1, y2, x1, x2 = results['crop_bbox']
    expected = np.rot90(_three_dates()['gt_seg_map'][y1:y2, x1:x2], results['rot90_k'])
    expected = np.flip(expected, 1 if results['flip_direction'] == 'horizontal' else 0)
    assert np.array_equal(label, expected)
    assert results['img_shape'] == label.shape == ((4, 5) if results['rot90_k'] % 2 else (5, 4))


@pytest.mark.parametrize('transform', [BiTemporalRandomCrop(crop_size=4),
                                       BiTemporalRandomFlip(prob=1.0),
                                       BiTemporalRandomRot90(prob=1.0)])
def test_dates_of_different_sizes_are_refused(transform):
    results = _three_dates()
    results['img2'] = results['img2'][:, :5]
    with pytest.raises(ValueError, match=r"differ in size \{'img': \(9, 7\), 'img2': \(9, 5\)"):
        transform(results)


def test_crop_size_may_be_a_list():
    """A config dumped and loaded again holds lists where it had tuples."""
    for cls in (BiTemporalRandomCrop, PairedRandomCrop):
        np.random.seed(0)
        out = cls(crop_size=[5, 4])(_three_dates())
        assert out['img'].shape[:2] == out['img_shape'] == (5, 4)
