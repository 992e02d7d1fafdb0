"""Siamese change-detection segmentor (shared encoder, fused decoder)."""
from typing import List, Optional, Sequence

import torch
from mmseg.models.segmentors import EncoderDecoder
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig

from mmkd_rs.registry import MODELS


@MODELS.register_module()
class SiameseChangeSegmentor(EncoderDecoder):
    """mmseg ``EncoderDecoder`` for bi-temporal change detection.

    Data flow for ``inputs`` ``[B, Ca + Cb, H, W]`` (date A channels first, as
    packed by ``PackBiTemporalInputs``)::

        backbone   (shared)  [2B, C, H, W]  -> stages [2B, C_i, h_i, w_i]
                              first B rows = date A, last B rows = date B
        fusion_neck          stages -> [B, C'_i, h_i, w_i]  (|fA - fB|, concat, ...)
        neck (optional)      e.g. mmseg FPN on the fused stages
        decode_head          any mmseg head -> [B, num_classes, h, w]

    The encoder runs once on both dates stacked on the batch axis, so a
    distillation recorder on ``backbone`` sees both dates. ``train_cfg`` /
    ``test_cfg`` are mmseg's (``test_cfg=dict(mode='slide', crop_size=...,
    stride=...)`` for sliding-window inference over whole tiles).

    Args:
        backbone (dict): Any mmseg backbone; its ``in_channels`` must equal the
            band count of one date.
        fusion_neck (dict): Fusion of the two dates, e.g.
            ``BiTemporalFusionNeck``.
        decode_head (dict): Decode head on the fused features.
        in_channels_per_date (tuple[int, int]): ``(Ca, Cb)``; a shared encoder
            needs ``Ca == Cb``.
        neck, auxiliary_head, train_cfg, test_cfg, data_preprocessor,
        pretrained, init_cfg: as in ``EncoderDecoder``.
    """

    def __init__(self,
                 backbone: ConfigType,
                 fusion_neck: ConfigType,
                 decode_head: ConfigType,
                 in_channels_per_date: Sequence[int] = (3, 3),
                 neck: OptConfigType = None,
                 auxiliary_head: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptMultiConfig = None):
        in_channels_per_date = tuple(in_channels_per_date)
        if len(in_channels_per_date) != 2 or in_channels_per_date[0] != in_channels_per_date[1]:
            raise ValueError(
                'SiameseChangeSegmentor shares one encoder between the dates, so '
                f'in_channels_per_date must be (C, C); got {in_channels_per_date}')
        super().__init__(
            backbone=backbone, decode_head=decode_head, neck=neck,
            auxiliary_head=auxiliary_head, train_cfg=train_cfg, test_cfg=test_cfg,
            data_preprocessor=data_preprocessor, pretrained=pretrained, init_cfg=init_cfg)
        self.in_channels_per_date = in_channels_per_date
        self.fusion_neck = MODELS.build(fusion_neck)

    def stack_dates(self, inputs: torch.Tensor) -> torch.Tensor:
        """``[B, Ca + Cb, H, W]`` -> ``[2B, C, H, W]`` (date A rows first)."""
        expected = sum(self.in_channels_per_date)
        if inputs.dim() != 4 or inputs.shape[1] != expected:
            raise ValueError(
                f'{type(self).__name__}: expected inputs [B, {expected}, H, W] (dates '
                f'{self.in_channels_per_date} concatenated on channels), got '
                f'{tuple(inputs.shape)}')
        date_a, date_b = torch.split(inputs, list(self.in_channels_per_date), dim=1)
        return torch.cat([date_a, date_b], dim=0)

    def extract_bitemporal_feat(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """Shared-encoder features: stages of ``[2B, C_i, h_i, w_i]``."""
        return self.backbone(self.stack_dates(inputs))

    def extract_feat(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """Fused change features fed to the decode head (``[B, ...]`` stages)."""
        x = self.fusion_neck(self.extract_bitemporal_feat(inputs))
        if self.with_neck:
            x = self.neck(x)
        return x
