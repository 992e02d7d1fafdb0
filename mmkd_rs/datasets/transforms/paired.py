"""Paired-modality geometry and packing: one random draw moves the student
image (``img``), the teacher image (``teacher_img``), the SAR no-data mask and
every label in ``seg_fields`` identically and records it (``crop_bbox``,
``flip`` / ``flip_direction``, ``rot90_k``; declared in ``replay_keys``, see
:mod:`mmkd_rs.datasets.transforms.replay`); the packer adds
``teacher_inputs``. The geometry is the bi-temporal transforms' one
(:mod:`mmkd_rs.datasets.transforms.geometry`) on other arrays."""
from typing import Sequence, Union

import numpy as np
from mmcv.transforms.utils import cache_randomness
import torch
from mmseg.datasets.transforms import PackSegInputs

from mmkd_rs.registry import TRANSFORMS
from .geometry import SharedGeometry, SharedRandomCrop, SharedRandomFlip, SharedRandomRot90


class PairedGeometry(SharedGeometry):
    """The arrays of a paired sample: the student image, and when loaded the
    teacher image and the SAR no-data mask, plus the labels."""

    image_keys = ('img',)
    optional_keys = ('teacher_img', 'sar_nodata')


@TRANSFORMS.register_module()
class PairedRandomCrop(PairedGeometry, SharedRandomCrop):
    """Random crop of the same window from images and labels.

    Like mmseg's ``RandomCrop``, an input smaller than ``crop_size`` along
    an axis is kept whole along it (the data preprocessor pads the batch,
    labels with 255). Adds ``crop_bbox`` = ``(y1, y2, x1, x2)``, the window
    in the pre-crop image (pixels). Works on single-image pipelines too.

    Args:
        crop_size (int | tuple[int, int]): ``(h, w)`` of the crop.
        cat_max_ratio (float): retry (up to 10 windows in all) while one class
            covers this share of the crop or more (as mmseg's RandomCrop,
            which draws an 11th window it does not check).
        ignore_index (int): label value not counted by ``cat_max_ratio``.
    """

    max_windows = 10


@TRANSFORMS.register_module()
class PairedRandomFlip(PairedGeometry, SharedRandomFlip):
    """Flip images and labels together with probability ``prob``.

    Args:
        prob (float): probability of flipping.
        direction (str | list[str]): 'horizontal', 'vertical' or both (one
            drawn uniformly per sample).

    Adds ``flip`` (bool) and ``flip_direction`` (None when not flipped).
    """

    def __init__(self, prob: float = 0.5,
                 direction: Union[str, Sequence[str]] = 'horizontal') -> None:
        directions = [direction] if isinstance(direction, str) else list(direction)
        for d in directions:
            if d not in ('horizontal', 'vertical'):
                raise ValueError(f'Unknown flip direction {d!r}.')
        super().__init__(prob=float(prob), direction=directions)

    @cache_randomness
    def _choose_direction(self):
        """Flip with probability ``prob``, then one direction uniformly (mmseg
        draws both at once: other numbers for the same seed)."""
        if np.random.rand() >= self.prob:
            return None
        return self.direction[np.random.randint(len(self.direction))]


@TRANSFORMS.register_module()
class PairedRandomRot90(PairedGeometry, SharedRandomRot90):
    """Rotate images and labels together by k * 90 degrees (k drawn in 1..3)
    with probability ``prob``; adds ``rot90_k`` (counter-clockwise turns as
    ``np.rot90``, 0 = not rotated)."""


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

