"""What a transform records of its random draw, so that the draw can be replayed.

Every transform of this package declares, as class attributes (inherited from
the shared geometry of :mod:`mmkd_rs.datasets.transforms.geometry` where it
builds on it):

``replay_keys`` (tuple[str] | None)
    ``()``: deterministic, the output depends on the input only.
    A tuple of keys: random, and each draw is written to these keys of
    ``results`` (the packing transforms keep them in the data sample's
    metainfo), so two samples with equal values went through the same
    transform.
    ``None``: random and not recorded; nothing downstream can tell which
    draw was made.
``replay_op`` (str | None)
    the name in :data:`~mmkd_rs.registry.REPLAY_OPS` of the operation on a
    ``[..., H, W]`` tensor that re-applies a recorded draw (a
    :class:`ReplayOp`: ``'crop'``, ``'flip'``, ``'rot90'`` or one a plugin
    registers), or None when none exists (e.g. swapping the dates).
``replay_note`` (str)
    why a ``None`` transform cannot be replayed.

mmcv / mmseg transforms cannot carry these attributes: :data:`EXTERNAL`
declares them by class. :func:`replay_spec` reads either, most derived class
first; :mod:`mmkd_rs.distill.teacher_cache` uses it.
"""
from typing import Any, Callable, NamedTuple, Optional, Tuple

import torch
from mmcv.transforms import (LoadAnnotations, LoadImageFromFile, Normalize, Pad,
                             RandomChoiceResize, RandomFlip, RandomGrayscale,
                             RandomResize, Resize, ToTensor)
from mmseg.datasets.transforms import (PackSegInputs, PhotoMetricDistortion, RandomCrop,
                                       RandomCutOut, RandomMosaic, RandomRotate,
                                       RandomRotFlip)
from torch import Tensor

from mmkd_rs.registry import REPLAY_OPS

HW = Optional[Tuple[int, int]]


class ReplayOp:
    """Re-applies one kind of recorded draw to a teacher output.

    A subclass names the ``keys`` it reads, turns their recorded values into
    a parameter (:meth:`param`) and applies it to a tensor (:meth:`apply`);
    registered in :data:`~mmkd_rs.registry.REPLAY_OPS` under the name
    transforms give as ``replay_op``.
    """

    keys: Tuple[str, ...] = ()

    def param(self, get: Callable[[str], Any], hw: HW) -> Tuple[Any, HW]:
        """``(parameter, image size after)`` of one sample's draw.

        Args:
            get: returns the recorded value of one of :attr:`keys`.
            hw: ``(H, W)`` of the image before the op (pixels), None if unknown.

        Returns:
            The draw as a hashable value (None for an identity draw, left out
            of cache keys) and the image size after the op.
        """
        raise NotImplementedError

    def apply(self, x: Tensor, param, input_hw: Tuple[int, int]
              ) -> Tuple[Optional[Tensor], Tuple[int, int]]:
        """``(x moved, input size after)`` for a ``[..., h, w]`` output ``x`` of
        an ``input_hw`` image; ``(None, ...)`` when it cannot be replayed."""
        raise NotImplementedError


@REPLAY_OPS.register_module(name='flip')
class FlipOp(ReplayOp):
    """``flip`` (bool), ``flip_direction`` ('horizontal' | 'vertical' | 'diagonal')."""

    keys = ('flip', 'flip_direction')
    DIMS = {'horizontal': (-1,), 'vertical': (-2,), 'diagonal': (-2, -1)}

    def param(self, get, hw):
        return (str(get('flip_direction')) if get('flip') else None), hw

    def apply(self, x, param, input_hw):
        return torch.flip(x, self.DIMS[param]), input_hw


@REPLAY_OPS.register_module(name='crop')
class CropOp(ReplayOp):
    """``crop_bbox`` = ``(y1, y2, x1, x2)`` in the pre-crop image (pixels); a
    window covering the whole image is an identity; a window off the output
    grid (output stride) cannot be replayed."""

    keys = ('crop_bbox',)

    def param(self, get, hw):
        box = tuple(int(v) for v in get('crop_bbox'))
        identity = hw is not None and box == (0, hw[0], 0, hw[1])
        return (None if identity else box), (box[1] - box[0], box[3] - box[2])

    def apply(self, x, param, input_hw):
        y1, y2, x1, x2 = param
        sy, sx = input_hw[0] / x.shape[-2], input_hw[1] / x.shape[-1]
        box = (y1 / sy, y2 / sy, x1 / sx, x2 / sx)
        after = (y2 - y1, x2 - x1)
        if any(abs(b - round(b)) > 1e-6 for b in box):
            return None, after
        y1, y2, x1, x2 = (int(round(b)) for b in box)
        return x[..., y1:y2, x1:x2], after


@REPLAY_OPS.register_module(name='rot90')
class Rot90Op(ReplayOp):
    """``rot90_k``: counter-clockwise quarter turns (``np.rot90`` /
    ``torch.rot90`` on H, W)."""

    keys = ('rot90_k',)

    def param(self, get, hw):
        k = int(get('rot90_k')) % 4
        if not k:
            return None, hw
        return k, (hw[::-1] if hw is not None and k % 2 else hw)

    def apply(self, x, param, input_hw):
        return torch.rot90(x, param, dims=(-2, -1)), (input_hw[::-1] if param % 2 else input_hw)


def replay_op(name: str) -> Optional[ReplayOp]:
    """The registered :class:`ReplayOp` named ``name``; None when there is none."""
    cls = REPLAY_OPS.get(name)
    return cls() if isinstance(cls, type) and issubclass(cls, ReplayOp) else None


class ReplaySpec(NamedTuple):
    """A transform's declaration (see the module docstring)."""
    keys: Optional[Tuple[str, ...]]
    op: Optional[str] = None
    note: str = ''

    @property
    def deterministic(self) -> bool:
        return self.keys == ()


_INTERPOLATES = 'draws a scale or angle that is not recorded and interpolates'
EXTERNAL = {
    LoadImageFromFile: ReplaySpec(()),
    LoadAnnotations: ReplaySpec(()),
    PackSegInputs: ReplaySpec(()),
    Resize: ReplaySpec(()),
    Normalize: ReplaySpec(()),
    Pad: ReplaySpec(()),
    ToTensor: ReplaySpec(()),
    RandomFlip: ReplaySpec(FlipOp.keys, 'flip'),
    RandomCrop: ReplaySpec(None, note="mmseg's RandomCrop does not record its window; "
                           'PairedRandomCrop (single images too) records crop_bbox'),
    PhotoMetricDistortion: ReplaySpec(None, note='photometric jitter is not recorded and '
                                      'is no tensor operation on outputs'),
    RandomGrayscale: ReplaySpec(None, note='random grey conversion is not recorded'),
    RandomRotate: ReplaySpec(None, note=_INTERPOLATES),
    RandomResize: ReplaySpec(None, note=_INTERPOLATES),
    RandomChoiceResize: ReplaySpec(None, note=_INTERPOLATES),
    RandomRotFlip: ReplaySpec(None, note='its rotation and flip are not recorded'),
    RandomCutOut: ReplaySpec(None, note='cut-out boxes are not recorded'),
    RandomMosaic: ReplaySpec(None, note='mosaic mixes samples'),
}


def replay_spec(cls: type) -> Optional[ReplaySpec]:
    """The declaration of transform class ``cls``; None when it declares nothing."""
    for klass in cls.__mro__:
        attrs = vars(klass)
        if 'replay_keys' in attrs:
            keys = attrs['replay_keys']
            return ReplaySpec(None if keys is None else tuple(keys), attrs.get('replay_op'),
                              attrs.get('replay_note', ''))
        if klass in EXTERNAL:
            return EXTERNAL[klass]
    return None
