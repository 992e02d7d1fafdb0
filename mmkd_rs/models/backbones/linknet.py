"""LinkNet: ResNet encoder + additive skip decoder to full resolution (Chaurasia &
Culurciello, 2017); the light student of TSKD-Road."""
import torch.nn as nn
from mmengine.model import BaseModule

from mmkd_rs.registry import MODELS


class LinkNetDecoderBlock(nn.Sequential):
    """1x1 conv ``in -> in/4``, 3x3 stride-2 transposed conv (x2 up), 1x1 conv
    ``-> out``; each followed by BN + ReLU. ``[B, in, h, w] -> [B, out, 2h, 2w]``."""

    def __init__(self, in_channels, out_channels):
        mid = max(in_channels // 4, 8)
        super().__init__(
            nn.Conv2d(in_channels, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(mid, mid, 3, stride=2, padding=1, output_padding=1, bias=False),
            nn.BatchNorm2d(mid), nn.ReLU(inplace=True),
            nn.Conv2d(mid, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True))


@MODELS.register_module()
class LinkNet(BaseModule):
    """LinkNet backbone with any 4-stage encoder (default: mmseg ResNet-18).

    The encoder must return 4 maps at strides 4, 8, 16, 32 with
    ``encoder_channels``. Decoder ``i`` upsamples x2 and adds encoder stage
    ``i-1``; a final 4x4 transposed conv + 3x3 conv bring the features to full
    resolution.

    Args:
        encoder (dict): encoder config (built from MODELS).
        encoder_channels (tuple[int]): channels of the 4 encoder outputs.
        final_channels (int): channels of the full-resolution output.

    Returns (forward):
        tuple[Tensor]: decoder outputs at strides 16, 8, 4, 2 (channels
        ``encoder_channels[2], [1], [0], [0]``) and the full-resolution features
        ``[B, final_channels, H, W]`` (last; use ``in_index=-1`` in the head).
    """

    def __init__(self, encoder=dict(type='ResNet', depth=18, out_indices=(0, 1, 2, 3)),
                 encoder_channels=(64, 128, 256, 512), final_channels=32, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if len(encoder_channels) != 4:
            raise ValueError(f'LinkNet needs 4 encoder stages, got encoder_channels='
                             f'{encoder_channels}')
        self.encoder = MODELS.build(encoder)
        c1, c2, c3, c4 = encoder_channels
        self.centre = self.build_centre(c4)
        self.decoders = nn.ModuleList([LinkNetDecoderBlock(c4, c3), LinkNetDecoderBlock(c3, c2),
                                       LinkNetDecoderBlock(c2, c1), LinkNetDecoderBlock(c1, c1)])
        self.final = nn.Sequential(
            nn.ConvTranspose2d(c1, final_channels, 4, stride=2, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(final_channels, final_channels, 3, padding=1), nn.ReLU(inplace=True))

    def build_centre(self, channels):
        """Block between encoder and decoder (identity in LinkNet)."""
        return nn.Identity()

    def forward(self, x):
        e1, e2, e3, e4 = self.encoder(x)
        d4 = self.decoders[0](self.centre(e4)) + e3
        d3 = self.decoders[1](d4) + e2
        d2 = self.decoders[2](d3) + e1
        d1 = self.decoders[3](d2)
        return d4, d3, d2, d1, self.final(d1)
