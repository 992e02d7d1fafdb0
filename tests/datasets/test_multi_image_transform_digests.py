"""Bi-temporal and paired SAR/EO transforms pinned by digest.

Every case builds the transforms from config dicts (as the configs do), seeds
numpy and ``random`` with each of 20 seeds, runs the transforms on small fixed
inputs and hashes every output array (dtype, shape and bytes), the recorded
draws (``crop_bbox``, ``flip``, ``flip_direction``, ``rot90_k``,
``dates_swapped``), ``img_shape`` and the paths, then one more draw of each
generator, so that a transform consuming a different number of random numbers
fails here too. Each entry of ``multi_image_transform_digests.json`` is
``sha256[:16]`` of that record; the file was written with the transforms as
they stood before bi-temporal and paired transforms shared one implementation.

    python tests/datasets/test_multi_image_transform_digests.py --write   # re-pin
"""
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest

import mmkd_rs  # noqa: F401
from mmkd_rs.registry import TRANSFORMS

DIGESTS = Path(__file__).with_name('multi_image_transform_digests.json')
SEEDS = range(20)
H, W = 14, 11
RECORDED = ('crop_bbox', 'flip', 'flip_direction', 'rot90_k', 'dates_swapped', 'img_shape',
            'img_path', 'img_path2')


def _label(kind):
    """0 background, a block of 1 (rows 3-8, cols 2-6), an ignored column (255)."""
    label = np.zeros((H, W), np.uint8)
    if kind == 'blocks':
        label[3:9, 2:7] = 1
        label[:, 9] = 255
    return label


def _bitemporal(label='blocks'):
    rng = np.random.default_rng(1)
    gt = _label(label)
    return dict(img=rng.integers(0, 256, (H, W, 3), dtype=np.uint8),
                img2=rng.integers(0, 256, (H, W, 3), dtype=np.uint8),
                gt_seg_map=gt, gt_aux=(gt * 3).astype(np.uint8),
                seg_fields=['gt_seg_map', 'gt_aux'], img_shape=(H, W), ori_shape=(H, W),
                img_path='a.png', img_path2='b.png')


def _paired(label='blocks', teacher=True):
    rng = np.random.default_rng(2)
    rows = np.mgrid[0:H, 0:W][0]
    results = dict(img=rng.normal(size=(H, W, 2)).astype(np.float32),
                   gt_seg_map=_label(label), seg_fields=['gt_seg_map'],
                   sar_nodata=rows == 0, img_shape=(H, W), ori_shape=(H, W),
                   img_path='sar.tif')
    if teacher:
        results['teacher_img'] = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
    return results


CROP = dict(type='BiTemporalRandomCrop', crop_size=(8, 6))
FLIPS = dict(type='BiTemporalRandomFlip', prob=0.5, direction=['horizontal', 'vertical'])
P_CROP = dict(type='PairedRandomCrop', crop_size=(8, 6))
CASES = {
    # name: (input builder, transform configs)
    'bt_crop': (_bitemporal, [CROP]),
    'bt_crop_int': (_bitemporal, [dict(CROP, crop_size=7)]),
    'bt_crop_cat': (_bitemporal, [dict(CROP, cat_max_ratio=0.75)]),
    'bt_crop_cat_never': (lambda: _bitemporal('zeros'), [dict(CROP, cat_max_ratio=0.75)]),
    'bt_crop_larger': (_bitemporal, [dict(CROP, crop_size=(20, 6))]),
    'bt_flip': (_bitemporal, [FLIPS]),
    'bt_flip_default': (_bitemporal, [dict(type='BiTemporalRandomFlip', prob=0.5)]),
    'bt_flip_diagonal': (_bitemporal, [dict(FLIPS, prob=0.7,
                                            direction=['horizontal', 'vertical', 'diagonal'])]),
    'bt_rot90': (_bitemporal, [dict(type='BiTemporalRandomRot90', prob=0.5)]),
    'bt_swap': (_bitemporal, [dict(type='BiTemporalSwap', prob=0.5)]),
    'bt_photometric': (_bitemporal, [dict(type='BiTemporalPhotoMetricDistortion')]),
    'bt_rotate': (_bitemporal, [dict(type='BiTemporalRandomRotate', prob=0.5, degree=20)]),
    'bt_resize': (_bitemporal, [dict(type='BiTemporalResize', scale=(9, 7), keep_ratio=False)]),
    'bt_pipeline': (_bitemporal, [dict(CROP, crop_size=8, cat_max_ratio=0.75), FLIPS,
                                  dict(type='BiTemporalRandomRot90', prob=0.5),
                                  dict(type='BiTemporalSwap', prob=0.5),
                                  dict(type='BiTemporalPhotoMetricDistortion')]),
    'p_crop': (_paired, [P_CROP]),
    'p_crop_int': (_paired, [dict(P_CROP, crop_size=7)]),
    'p_crop_list': (_paired, [dict(P_CROP, crop_size=[8, 6])]),
    'p_crop_cat': (_paired, [dict(P_CROP, cat_max_ratio=0.75)]),
    'p_crop_cat_never': (lambda: _paired('zeros'), [dict(P_CROP, cat_max_ratio=0.75)]),
    'p_crop_larger': (_paired, [dict(P_CROP, crop_size=(20, 6))]),
    'p_crop_student_only': (lambda: _paired(teacher=False), [dict(P_CROP, cat_max_ratio=0.6)]),
    'p_flip': (_paired, [dict(type='PairedRandomFlip', prob=0.5, direction='horizontal')]),
    'p_flip_both': (_paired, [dict(type='PairedRandomFlip', prob=0.5,
                                   direction=['horizontal', 'vertical'])]),
    'p_rot90': (_paired, [dict(type='PairedRandomRot90', prob=0.5)]),
    'p_pipeline': (_paired, [dict(P_CROP, crop_size=8, cat_max_ratio=0.75),
                             dict(type='PairedRandomRot90', prob=0.5),
                             dict(type='PairedRandomFlip', prob=0.5,
                                  direction=['horizontal', 'vertical'])]),
}


def _digest(results: dict) -> str:
    h = hashlib.sha256()
    for key in sorted(k for k, v in results.items() if isinstance(v, np.ndarray)):
        array = np.ascontiguousarray(results[key])
        h.update(f'{key}{array.dtype.str}{array.shape}'.encode() + array.tobytes())
    for key in RECORDED:
        if key in results:
            h.update(f'{key}={results[key]!r};'.encode())
    h.update(f'next={np.random.randint(2**31)},{random.random()!r}'.encode())
    return h.hexdigest()[:16]


def run_case(name: str, digest=_digest) -> list:
    """``digest(results)`` of the case for every seed."""
    build, cfgs = CASES[name]
    transforms = [TRANSFORMS.build(cfg) for cfg in cfgs]
    out = []
    for seed in SEEDS:
        np.random.seed(seed)
        random.seed(seed)
        results = build()
        for transform in transforms:
            results = transform(results)
        out.append(digest(results))
    return out


@pytest.mark.parametrize('name', sorted(CASES))
def test_outputs_match_pinned_digests(name):
    expected = json.loads(DIGESTS.read_text())[name]
    got = run_case(name)
    differ = [seed for seed, (a, b) in enumerate(zip(got, expected)) if a != b]
    assert differ == [], f'{name}: seeds {differ} give other outputs or draws'


@pytest.mark.parametrize('name,key,least', [
    ('bt_crop_cat', 'crop_bbox', 10), ('p_crop_cat', 'crop_bbox', 10),
    ('bt_flip', 'flip_direction', 3), ('p_flip_both', 'flip_direction', 3),
    ('bt_rot90', 'rot90_k', 4), ('p_rot90', 'rot90_k', 4), ('bt_swap', 'dates_swapped', 2)])
def test_cases_exercise_several_draws(name, key, least):
    """The pinned cases are informative: each draw takes several values."""
    assert len(set(run_case(name, lambda results: results[key]))) >= least


if __name__ == '__main__' and sys.argv[1:] == ['--write']:
    DIGESTS.write_text(json.dumps({n: run_case(n) for n in sorted(CASES)}, indent=1) + '\n')
