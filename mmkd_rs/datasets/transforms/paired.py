"""Paired-modality geometry and packing: one random draw moves the student
image (``img``), the teacher image (``teacher_img``) and every label in
``seg_fields`` identically and records it (``crop_bbox``, ``flip`` /
``flip_direction``, ``rot90_k``; declared in ``replay_keys``, see
:mod:`mmkd_rs.datasets.transforms.replay`); the packer adds
``teacher_inputs``."""
from typing import Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
import torch
from mmseg.datasets.transforms import PackSegInputs

from mmkd_rs.registry import TRANSFORMS

IMAGE_KEYS = ('img', 'teacher_img')


def _spatial_keys(results: dict) -> list:
    keys = [k for k in IMAGE_KEYS if k in results]
    keys += list(results.get('seg_fields', []))
    if 'sar_nodata' in results:
        keys.append('sar_nodata')
    shapes = {k: results[k].shape[:2] for k in keys}
    if len(set(shapes.values())) > 1:
        raise ValueError(f'Paired arrays differ in size: {shapes} '
                         f'({results.get("img_path")}).')
    return keys


@TRANSFORMS.register_module()
class PairedRandomCrop(BaseTransform):
    """Random crop of the same window from images and labels.

    Like mmseg's ``RandomCrop``, an input smaller than ``crop_size`` along
    an axis is kept whole along it (the data preprocessor pads the batch,
    labels with 255). Adds ``crop_bbox`` = ``(y1, y2, x1, x2)``, the window
    in the pre-crop image (pixels). Works on single-image pipelines too.

    Args:
        crop_size (int | tuple[int, int]): ``(h, w)`` of the crop.
        cat_max_ratio (float): retry (up to 10 times) while one class covers
            more than this share of the crop (as mmseg's RandomCrop).
        ignore_index (int): label value not counted by ``cat_max_ratio``.
    """

    replay_keys, replay_op = ('crop_bbox',), 'crop'

    def __init__(self, crop_size: Union[int, Tuple[int, int]],
                 cat_max_ratio: float = 1.0, ignore_index: int = 255) -> None:
        self.crop_size = (crop_size, crop_size) if isinstance(
            crop_size, int) else tuple(crop_size)
        self.cat_max_ratio, self.ignore_index = cat_max_ratio, ignore_index

    @cache_randomness
    def _window(self, h: int, w: int) -> Tuple[int, int]:
        return (np.random.randint(0, max(h - self.crop_size[0], 0) + 1),
                np.random.randint(0, max(w - self.crop_size[1], 0) + 1))

    def transform(self, results: dict) -> dict:
        keys = _spatial_keys(results)
        h, w = results['img'].shape[:2]
        ch, cw = min(self.crop_size[0], h), min(self.crop_size[1], w)
        for _ in range(10):
            y, x = self._window(h, w)
            if self.cat_max_ratio >= 1.0 or 'gt_seg_map' not in results:
                break
            crop = results['gt_seg_map'][y:y + ch, x:x + cw]
            _, counts = np.unique(crop[crop != self.ignore_index],
                                  return_counts=True)
            if len(counts) > 1 and counts.max() / counts.sum() \
                    < self.cat_max_ratio:
                break
        for key in keys:
            results[key] = np.ascontiguousarray(results[key][y:y + ch,
                                                             x:x + cw])
        results['crop_bbox'] = (int(y), int(y) + ch, int(x), int(x) + cw)
        results['img_shape'] = (ch, cw)
        return results


@TRANSFORMS.register_module()
class PairedRandomFlip(BaseTransform):
    """Flip images and labels together with probability ``prob``.

    Args:
        prob (float): probability of flipping.
        direction (str | list[str]): 'horizontal', 'vertical' or both (one
            drawn uniformly per sample).

    Adds ``flip`` (bool) and ``flip_direction`` (None when not flipped).
    """

    replay_keys, replay_op = ('flip', 'flip_direction'), 'flip'

    def __init__(self, prob: float = 0.5,
                 direction: Union[str, Sequence[str]] = 'horizontal') -> None:
        self.prob = prob
        self.directions = [direction] if isinstance(direction, str) \
            else list(direction)
        for d in self.directions:
            if d not in ('horizontal', 'vertical'):
                raise ValueError(f'Unknown flip direction {d!r}.')

    @cache_randomness
    def _draw(self):
        if np.random.rand() >= self.prob:
            return None
        return self.directions[np.random.randint(len(self.directions))]

    def transform(self, results: dict) -> dict:
        direction = self._draw()
        results['flip'] = direction is not None
        results['flip_direction'] = direction
        if direction is None:
            return results
        axis = 1 if direction == 'horizontal' else 0
        for key in _spatial_keys(results):
            results[key] = np.ascontiguousarray(np.flip(results[key], axis))
        return results


@TRANSFORMS.register_module()
class PairedRandomRot90(BaseTransform):
    """Rotate images and labels together by k * 90 degrees (k drawn in 1..3)
    with probability ``prob``; adds ``rot90_k`` (counter-clockwise turns as
    ``np.rot90``, 0 = not rotated)."""

    replay_keys, replay_op = ('rot90_k',), 'rot90'

    def __init__(self, prob: float = 0.5) -> None:
        self.prob = prob

    @cache_randomness
    def _draw(self) -> int:
        return 0 if np.random.rand() >= self.prob else np.random.randint(1, 4)

    def transform(self, results: dict) -> dict:
        k = self._draw()
        results['rot90_k'] = int(k)
        if k:
            for key in _spatial_keys(results):
                results[key] = np.ascontiguousarray(
                    np.rot90(results[key], k, axes=(0, 1)))
            results['img_shape'] = results['img'].shape[:2]
        return results


def _to_chw_tensor(img: np.ndarray) -> torch.Tensor:
    if img.ndim == 2:
        img = img[..., None]
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))


@TRANSFORMS.register_module()
class PackPairedSegInputs(PackSegInputs):
    """mmseg's ``PackSegInputs`` plus ``teacher_inputs`` (CHW tensor of
    ``teacher_img``) when a teacher image was loaded.

    ``meta_keys`` default to mmseg's plus the paired ones (modality names,
    file paths, orientation flip) used by metrics and the SAR/EO visualizer,
    and ``sample_idx`` with the recorded ``crop_bbox`` / ``rot90_k`` used by
    the teacher-output cache.
    """

    replay_keys = ()

    def __init__(self,
                 meta_keys=('img_path', 'seg_map_path', 'ori_shape',
                            'img_shape', 'pad_shape', 'scale_factor', 'flip',
                            'flip_direction', 'reduce_zero_label',
                            'sar_path', 'eo_path', 'teacher_img_path',
                            'student_modality', 'teacher_modality',
                            'orientation_flip', 'tile_id', 'sample_idx',
                            'crop_bbox', 'rot90_k')):
        super().__init__(meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        if 'teacher_img' in results:
            packed['teacher_inputs'] = _to_chw_tensor(results['teacher_img'])
        return packed

