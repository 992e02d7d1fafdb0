"""DisOptNet fusion head: squeeze-excitation on two decoder outputs, concat,
1x1 convolution."""
import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmkd_rs.registry import MODELS


@MODELS.register_module()
class SCSEBlock(BaseModule):
    """Concurrent channel and spatial squeeze-excitation.

    ``out = x * cSE(x) + x * sSE(x)`` with ``cSE`` = global average pool ->
    1x1 (C -> C/r) -> ReLU -> 1x1 (-> C) -> sigmoid, [B, C, 1, 1], and
    ``sSE`` = 1x1 (C -> 1) -> sigmoid, [B, 1, H, W].
    """

    def __init__(self, channels: int, reduction: int = 4) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.channel_gate = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(channels, hidden, 1),
            nn.ReLU(inplace=True), nn.Conv2d(hidden, channels, 1),
            nn.Sigmoid())
        self.spatial_gate = nn.Sequential(nn.Conv2d(channels, 1, 1),
                                          nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.channel_gate(x) + x * self.spatial_gate(x)


@MODELS.register_module()
class DisOptNetFusionHead(BaseModule):
    """Fuse the SAR branch and the distillation branch of DisOptNet.

    Both decoder outputs go through their own :class:`SCSEBlock`, are
    concatenated and mapped by a 1x1 convolution to the class logits: the
    only output used at inference.

    Args:
        in_channels (int | tuple[int, int]): channels of the SAR-branch and
            distillation-branch decoder outputs.
        num_classes (int): output channels (logits).
        reduction (int): channel reduction of the cSE gates.

    Shapes:
        sar_feat [B, C1, H, W], distill_feat [B, C2, H, W] (resized
        bilinearly to ``sar_feat`` if they differ) -> logits
        [B, num_classes, H, W].
    """

    def __init__(self, in_channels, num_classes: int, reduction: int = 4,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        c1, c2 = (in_channels, in_channels) if isinstance(in_channels, int) \
            else tuple(in_channels)
        self.sar_se = SCSEBlock(c1, reduction)
        self.distill_se = SCSEBlock(c2, reduction)
        self.classifier = nn.Conv2d(c1 + c2, num_classes, 1)

    def forward(self, sar_feat: torch.Tensor,
                distill_feat: torch.Tensor) -> torch.Tensor:
        if distill_feat.shape[-2:] != sar_feat.shape[-2:]:
            distill_feat = nn.functional.interpolate(
                distill_feat, size=sar_feat.shape[-2:], mode='bilinear',
                align_corners=False)
        fused = torch.cat([self.sar_se(sar_feat),
                           self.distill_se(distill_feat)], dim=1)
        return self.classifier(fused)
