"""What a transform records of its random draw, so that the draw can be replayed.

Every transform of this package declares, as class attributes:

``replay_keys`` (tuple[str] | None)
    ``()``: deterministic, the output depends on the input only.
    A tuple of keys: random, and each draw is written to these keys of
    ``results`` (the packing transforms keep them in the data sample's
    metainfo), so two samples with equal values went through the same
    transform.
    ``None``: random and not recorded; nothing downstream can tell which
    draw was made.
``replay_op`` (str | None)
    the operation on a ``[..., H, W]`` tensor that re-applies a recorded draw
    (:data:`REPLAY_OPS`), or None when none exists (e.g. swapping the dates).
``replay_note`` (str)
    why a ``None`` transform cannot be replayed.

mmcv / mmseg transforms cannot carry these attributes: :data:`EXTERNAL`
declares them by class. :func:`replay_spec` reads either, most derived class
first; :mod:`mmkd_rs.distill.teacher_cache` uses it.
"""
from typing import NamedTuple, Optional, Tuple

from mmcv.transforms import (LoadAnnotations, LoadImageFromFile, Normalize, Pad,
                             RandomChoiceResize, RandomFlip, RandomGrayscale,
                             RandomResize, Resize, ToTensor)
from mmseg.datasets.transforms import (PackSegInputs, PhotoMetricDistortion, RandomCrop,
                                       RandomCutOut, RandomMosaic, RandomRotate,
                                       RandomRotFlip)

# op -> the keys it reads: flip (bool) + flip_direction ('horizontal' |
# 'vertical' | 'diagonal'); crop_bbox = (y1, y2, x1, x2) in the pre-crop image;
# rot90_k = counter-clockwise quarter turns (np.rot90 / torch.rot90 on H, W).
REPLAY_OPS = {'flip': ('flip', 'flip_direction'), 'crop': ('crop_bbox',),
              'rot90': ('rot90_k',)}


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
    RandomFlip: ReplaySpec(REPLAY_OPS['flip'], 'flip'),
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
