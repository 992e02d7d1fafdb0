"""Random geometry shared by every array of a sample.

A sample may hold several co-registered images (two dates, a SAR and an
optical image) plus its labels and masks: one random draw must move them all.
The classes here draw once and apply the draw to every array the family
names, and record it under their ``replay_keys`` (crop window, flip, quarter
turns; see :mod:`mmkd_rs.datasets.transforms.replay`). A family subclasses them
and states its arrays:

``image_keys``     images every sample holds (``('img', 'img2')`` for two dates);
``optional_keys``  per-pixel arrays moved when present (``teacher_img``, a
                   no-data mask);

plus every key of ``seg_fields``. All of them must share their height and
width (``ValueError`` otherwise). Arrays are ``H x W [x C]``; outputs are
C-contiguous.

The draws are mmseg's (``RandomCrop``, ``RandomFlip``) unless a family
overrides them (:mod:`mmkd_rs.datasets.transforms.paired` keeps its own).
"""
from typing import Callable, List, Tuple, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.datasets.transforms import RandomCrop, RandomFlip

__all__ = ['SharedGeometry', 'SharedRandomCrop', 'SharedRandomFlip', 'SharedRandomRot90']


class SharedGeometry:
    """Mixin: the arrays of a sample that move together, and moving them."""

    image_keys: Tuple[str, ...] = ('img',)
    optional_keys: Tuple[str, ...] = ()

    def spatial_keys(self, results: dict) -> List[str]:
        """Keys of ``results`` to transform; checks that they share ``H x W``."""
        keys = list(self.image_keys)
        keys += [k for k in self.optional_keys if k in results]
        keys += [k for k in results.get('seg_fields', []) if k not in keys]
        shapes = {k: results[k].shape[:2] for k in keys}
        if len(set(shapes.values())) > 1:
            raise ValueError(f'{type(self).__name__}: the arrays of '
                             f'{results.get("img_path", "a sample")} differ in size '
                             f'{shapes} (H, W); they must be co-registered.')
        return keys

    def apply(self, results: dict, fn: Callable[[np.ndarray], np.ndarray]) -> None:
        """Replace every spatial array ``a`` of ``results`` by ``fn(a)``."""
        for key in self.spatial_keys(results):
            results[key] = np.ascontiguousarray(fn(results[key]))


class SharedRandomCrop(SharedGeometry, RandomCrop):
    """mmseg's ``RandomCrop`` cutting one window out of every array.

    An input smaller than ``crop_size`` along an axis is kept whole along it.
    Adds ``crop_bbox`` = ``(y1, y2, x1, x2)``, the window in the pre-crop image
    (pixels), and sets ``img_shape``.

    Args:
        crop_size (int | Sequence[int]): ``(h, w)`` of the window.
        cat_max_ratio (float): below 1, draw another window while the
            window's labelled pixels (``ignore_index`` not counted) hold one
            class only or one class covers at least this share of them; at
            most ``max_windows`` windows in all, the last one taken unchecked
            (mmseg's ``RandomCrop``: 11). A sample without ``gt_seg_map``
            takes the first window.
        ignore_index (int): label value not counted by ``cat_max_ratio``.
    """

    replay_keys, replay_op = ('crop_bbox',), 'crop'
    max_windows = 11

    def __init__(self, crop_size: Union[int, Tuple[int, int]], cat_max_ratio: float = 1.0,
                 ignore_index: int = 255) -> None:
        super().__init__(crop_size if isinstance(crop_size, int) else tuple(crop_size),
                         cat_max_ratio, ignore_index)

    def _draw_window(self, h: int, w: int) -> Tuple[int, int, int, int]:
        y = np.random.randint(0, max(h - self.crop_size[0], 0) + 1)
        x = np.random.randint(0, max(w - self.crop_size[1], 0) + 1)
        return y, y + self.crop_size[0], x, x + self.crop_size[1]

    def _dominated(self, label: np.ndarray, bbox: tuple) -> bool:
        """Whether one class only, or one covering ``cat_max_ratio`` or more,
        fills the labelled pixels of window ``bbox`` of ``label`` (H x W)."""
        labels, counts = np.unique(self.crop(label, bbox), return_counts=True)
        counts = counts[labels != self.ignore_index]
        return not (len(counts) > 1 and counts.max() / counts.sum() < self.cat_max_ratio)

    @cache_randomness
    def crop_bbox(self, results: dict) -> Tuple[int, int, int, int]:
        """``(y1, y2, x1, x2)`` of the window; ``y2``/``x2`` may pass the border."""
        h, w = results['img'].shape[:2]
        bbox = self._draw_window(h, w)
        if self.cat_max_ratio < 1.0 and 'gt_seg_map' in results:
            for _ in range(self.max_windows - 1):
                if not self._dominated(results['gt_seg_map'], bbox):
                    break
                bbox = self._draw_window(h, w)
        return bbox

    def transform(self, results: dict) -> dict:
        y1, y2, x1, x2 = (int(v) for v in self.crop_bbox(results))
        h, w = results['img'].shape[:2]
        y2, x2 = min(y2, h), min(x2, w)
        self.apply(results, lambda a: a[y1:y2, x1:x2])
        results['crop_bbox'] = (y1, y2, x1, x2)
        results['img_shape'] = (y2 - y1, x2 - x1)
        return results


class SharedRandomFlip(SharedGeometry, RandomFlip):
    """mmseg's ``RandomFlip`` flipping every array with one draw.

    Adds ``flip`` (bool) and ``flip_direction`` (``'horizontal'``,
    ``'vertical'``, ``'diagonal'``; None when not flipped). Label maps go
    through ``swap_seg_labels`` as in mmseg.
    """

    replay_keys, replay_op = ('flip', 'flip_direction'), 'flip'

    def _flip(self, results: dict) -> None:
        direction = results['flip_direction']
        labels = set(results.get('seg_fields', []))
        for key in self.spatial_keys(results):
            flipped = (self._flip_seg_map(results[key], direction) if key in labels
                       else mmcv.imflip(results[key], direction=direction))
            results[key] = np.ascontiguousarray(flipped)
        if labels:
            results['swap_seg_labels'] = self.swap_seg_labels


class SharedRandomRot90(SharedGeometry, BaseTransform):
    """Rotate every array by the same random multiple of 90 degrees.

    Adds ``rot90_k``: counter-clockwise quarter turns (``np.rot90`` on the
    first two axes), 0 when not rotated; sets ``img_shape``.

    Args:
        prob (float): probability of rotating (by 90, 180 or 270 degrees,
            equally likely). Defaults to 0.5.
    """

    replay_keys, replay_op = ('rot90_k',), 'rot90'

    def __init__(self, prob: float = 0.5) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob

    @cache_randomness
    def _draw_turns(self) -> int:
        if np.random.rand() >= self.prob:
            return 0
        return int(np.random.randint(1, 4))

    def transform(self, results: dict) -> dict:
        turns = self._draw_turns()
        results['rot90_k'] = turns
        if turns:
            self.apply(results, lambda a: np.rot90(a, turns))
            results['img_shape'] = results['img'].shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'
