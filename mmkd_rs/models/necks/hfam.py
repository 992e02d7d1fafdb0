"""HFAM: heterogeneous feature alignment module as a neck (HFD-Net)."""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmkd_rs.registry import MODELS
from .flow_align import FlowAlignUpsample, conv


@MODELS.register_module()
class HFAMNeck(BaseModule):
    """Multi-scale aggregation with learned (flow-guided) alignment.

    Our reading of HFD-Net's HFAM: deep features are *aligned* to shallower
    ones (a predicted flow, :class:`FlowAlignUpsample`) before being fused,
    instead of being upsampled blindly. It sits between any mmseg backbone
    and decode head, in the EO teacher and the SAR student alike.

    1. lateral 1x1 conv of each selected level to ``channels``;
    2. top-down: ``p_i = lat_i + align_i(p_{i+1}, lat_i)``, then 3x3 conv;
    3. ``out_mode='fused'``: every ``p_i`` is aligned to the finest level,
       concatenated and fused by a 3x3 conv -> one map;
       ``out_mode='pyramid'``: the levels ``p_i`` are returned (for FPN-like
       heads).

    Args:
        in_channels (list[int]): channels of the backbone outputs.
        channels (int): channels of every neck feature.
        in_index (list[int], optional): backbone outputs used (default all).
        out_mode (str): 'fused' or 'pyramid'.
        norm_cfg / act_cfg (dict): of the convolutions.

    Shapes:
        inputs: tuple of [B, C_i, H_i, W_i], finest first.
        outputs: ('fused') a 1-tuple of [B, channels, H_0, W_0];
        ('pyramid') a tuple of [B, channels, H_i, W_i].
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: int = 64,
                 in_index: Optional[Sequence[int]] = None,
                 out_mode: str = 'fused',
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if out_mode not in ('fused', 'pyramid'):
            raise ValueError(f"out_mode must be 'fused' or 'pyramid', got "
                             f'{out_mode!r}.')
        self.in_index = list(range(len(in_channels))) if in_index is None \
            else list(in_index)
        self.in_channels = [in_channels[i] for i in self.in_index] \
            if in_index is not None and len(in_channels) > len(self.in_index) \
            else list(in_channels)
        if len(self.in_channels) != len(self.in_index):
            raise ValueError(f'in_channels {list(in_channels)} do not match '
                             f'in_index {self.in_index}.')
        self.out_mode = out_mode
        n = len(self.in_index)
        self.lateral = nn.ModuleList(
            conv(c, channels, 1, norm_cfg, act_cfg) for c in self.in_channels)
        self.top_down_align = nn.ModuleList(
            FlowAlignUpsample(channels) for _ in range(n - 1))
        self.smooth = nn.ModuleList(
            conv(channels, channels, 3, norm_cfg, act_cfg) for _ in range(n))
        if out_mode == 'fused':
            self.fuse_align = nn.ModuleList(
                FlowAlignUpsample(channels) for _ in range(n - 1))
            self.fuse = conv(n * channels, channels, 3, norm_cfg, act_cfg)

    def forward(self, inputs: Sequence[torch.Tensor]) -> Tuple[torch.Tensor]:
        if max(self.in_index) >= len(inputs):
            raise ValueError(f'HFAMNeck in_index {self.in_index} but the '
                             f'backbone gave {len(inputs)} feature maps.')
        lat: List[torch.Tensor] = [
            layer(inputs[i]) for layer, i in zip(self.lateral, self.in_index)]
        for i in range(len(lat) - 2, -1, -1):
            lat[i] = lat[i] + self.top_down_align[i](lat[i + 1], lat[i])
        levels = [smooth(x) for smooth, x in zip(self.smooth, lat)]
        if self.out_mode == 'pyramid':
            return tuple(levels)
        finest = levels[0]
        aligned = [finest] + [
            align(x, finest) for align, x in zip(self.fuse_align, levels[1:])]
        return (self.fuse(torch.cat(aligned, dim=1)), )
