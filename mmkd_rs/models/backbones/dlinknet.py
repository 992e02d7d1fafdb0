"""D-LinkNet (Zhou et al., CVPR-W 2018): LinkNet with a dilated centre block; the
dense teacher of TSKD-Road (ResNet-34 encoder)."""
import torch.nn as nn

from mmkd_rs.registry import MODELS

from .linknet import LinkNet


class DilatedCentreBlock(nn.Module):
    """Cascaded 3x3 convs with ``dilations`` (1, 2, 4, 8); every intermediate
    output is summed with the input: ``x + d1 + d2 + ...`` where
    ``d_k = relu(conv_k(d_{k-1}))``. Shape-preserving ``[B, C, h, w]``."""

    def __init__(self, channels, dilations=(1, 2, 4, 8)):
        super().__init__()
        self.convs = nn.ModuleList(
            nn.Conv2d(channels, channels, 3, padding=d, dilation=d) for d in dilations)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        out, d = x, x
        for conv in self.convs:
            d = self.act(conv(d))
            out = out + d
        return out


@MODELS.register_module()
class DLinkNet(LinkNet):
    """LinkNet + :class:`DilatedCentreBlock` at stride 32 (default encoder:
    mmseg ResNet-34). Outputs as :class:`LinkNet`.

    Args:
        dilations (tuple[int]): dilation rates of the centre block cascade.
    """

    def __init__(self, encoder=dict(type='ResNet', depth=34, out_indices=(0, 1, 2, 3)),
                 dilations=(1, 2, 4, 8), **kwargs):
        self.dilations = tuple(dilations)
        super().__init__(encoder=encoder, **kwargs)

    def build_centre(self, channels):
        return DilatedCentreBlock(channels, self.dilations)
