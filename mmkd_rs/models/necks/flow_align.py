"""Flow-guided upsampling: the alignment unit of heterogeneous alignment
necks (SFNet / FaPN style), built on ``F.grid_sample`` only."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmkd_rs.registry import MODELS


def identity_grid(like: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Normalised sampling grid [B, H, W, 2] of the pixel centres of an
    ``H x W`` output (``align_corners=False`` convention)."""
    theta = torch.tensor([[1., 0., 0.], [0., 1., 0.]], dtype=like.dtype,
                         device=like.device).expand(like.shape[0], 2, 3)
    return F.affine_grid(theta, (like.shape[0], 1, height, width),
                         align_corners=False)


def warp(feature: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Resample ``feature`` [B, C, h, w] on the grid of ``flow`` [B, 2, H, W].

    ``flow`` is an offset in *output pixels* (x then y) added to each output
    pixel centre; zero flow is plain bilinear resizing (``align_corners=
    False``, border clamping), i.e. ``F.interpolate(..., 'bilinear')``.
    """
    height, width = flow.shape[-2:]
    grid = identity_grid(feature, height, width)
    scale = flow.new_tensor([2.0 / width, 2.0 / height]).view(1, 2, 1, 1)
    grid = grid + (flow * scale).permute(0, 2, 3, 1)
    return F.grid_sample(feature, grid, mode='bilinear',
                         padding_mode='border', align_corners=False)


@MODELS.register_module()
class FlowAlignUpsample(BaseModule):
    """Upsample a deep feature onto a shallow one along a learned flow.

    The flow [B, 2, H, W] (pixels of the shallow grid) is predicted by a 3x3
    convolution from the concatenation of the bilinearly upsampled deep
    feature and the shallow feature, bounded as ``max_flow * tanh(raw)``
    (alignment corrects small misregistrations; an unbounded flow lets
    adaptive optimisers such as AdamW move samples tens of pixels away early
    in training and the network stops learning). The flow convolution is
    zero-initialised so that training starts from plain bilinear upsampling.

    Args:
        channels (int): channels of both inputs.
        kernel_size (int): kernel of the flow convolution.
        max_flow (float): largest displacement in shallow-grid pixels.
    """

    def __init__(self, channels: int, kernel_size: int = 3,
                 max_flow: float = 2.0) -> None:
        super().__init__()
        self.max_flow = max_flow
        self.flow = nn.Conv2d(2 * channels, 2, kernel_size,
                              padding=kernel_size // 2)
        nn.init.zeros_(self.flow.weight)
        nn.init.zeros_(self.flow.bias)

    def init_weights(self) -> None:
        # Keep the zero flow whatever init_cfg the parent model passes down.
        nn.init.zeros_(self.flow.weight)
        nn.init.zeros_(self.flow.bias)

    def forward(self, deep: torch.Tensor, shallow: torch.Tensor):
        """deep [B, C, h, w], shallow [B, C, H, W] -> aligned [B, C, H, W]."""
        up = F.interpolate(deep, size=shallow.shape[-2:], mode='bilinear',
                           align_corners=False)
        flow = self.flow(torch.cat([up, shallow], dim=1))
        return warp(deep, self.max_flow * torch.tanh(flow / self.max_flow))


def conv(in_ch: int, out_ch: int, k: int, norm_cfg, act_cfg) -> ConvModule:
    return ConvModule(in_ch, out_ch, k, padding=k // 2, norm_cfg=norm_cfg,
                      act_cfg=act_cfg)
