"""Connectors: small trainable adapters from student to teacher tensors.

Registered in ``MODELS``; a loss argument mapping names one with
``connector='<name>'`` and the connector runs on the recorded tensor before the
loss sees it. All take and return ``[N, C, H, W]`` feature maps.
"""
from typing import Optional, Sequence, Union

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import Tensor, nn

from mmkd_rs.registry import MODELS


@MODELS.register_module()
class ConvBNConnector(nn.Module):
    """1x1 conv + BatchNorm: ``[N, in_channels, H, W] -> [N, out_channels, H, W]``."""

    def __init__(self, in_channels: int, out_channels: int,
                 norm_cfg: Optional[dict] = dict(type='BN')):
        super().__init__()
        self.proj = ConvModule(in_channels, out_channels, 1, norm_cfg=norm_cfg, act_cfg=None)

    def forward(self, x: Tensor) -> Tensor:
        return self.proj(x)


@MODELS.register_module()
class ConvBNReLUConnector(nn.Module):
    """``kernel_size`` conv + BatchNorm + ReLU, same spatial size."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3,
                 norm_cfg: Optional[dict] = dict(type='BN')):
        super().__init__()
        self.proj = ConvModule(in_channels, out_channels, kernel_size,
                               padding=kernel_size // 2, norm_cfg=norm_cfg,
                               act_cfg=dict(type='ReLU'))

    def forward(self, x: Tensor) -> Tensor:
        return self.proj(x)


@MODELS.register_module()
class ResizeConnector(nn.Module):
    """Bilinear resize to ``size`` (H, W) or by ``scale_factor``; no parameters."""

    def __init__(self, size: Optional[Union[int, Sequence[int]]] = None,
                 scale_factor: Optional[float] = None, align_corners: bool = False):
        super().__init__()
        if (size is None) == (scale_factor is None):
            raise ValueError('ResizeConnector: give exactly one of size or scale_factor, '
                             f'got size={size!r}, scale_factor={scale_factor!r}')
        self.size = size
        self.scale_factor = scale_factor
        self.align_corners = align_corners

    def forward(self, x: Tensor) -> Tensor:
        return F.interpolate(x, size=self.size, scale_factor=self.scale_factor,
                             mode='bilinear', align_corners=self.align_corners)
