"""Multi-scale fusion of siamese features of two dates."""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmkd_rs.registry import MODELS


@MODELS.register_module()
class BiTemporalFusionNeck(BaseModule):
    """Fuse the two dates of each backbone stage into one change feature.

    Input: a tuple of ``[2B, C_i, h_i, w_i]`` stage features, first ``B`` rows
    date A, last ``B`` rows date B (the siamese encoder ran once on both).
    Output: a tuple of ``[B, C'_i, h_i, w_i]`` fused features, where per
    ``policy``:

    * ``'abs_diff'``: ``|fA - fB|`` (``C'_i = C_i``; symmetric in the dates);
    * ``'concat'``: ``[fA, fB]`` (``C'_i = 2 C_i``);
    * ``'concat_diff'``: ``[fA, fB, |fA - fB|]`` (``C'_i = 3 C_i``).

    With ``out_channels`` set, each stage is projected to that many channels
    by a 3x3 conv + norm + activation (``out_channels[i]`` per stage or one
    int for all); otherwise fused features are returned as they are.

    Args:
        in_channels (Sequence[int]): ``C_i`` of the backbone stages.
        policy (str): Fusion, see above. Defaults to ``'abs_diff'``.
        out_channels (int | Sequence[int], optional): Projection widths.
        norm_cfg (dict): Norm of the projections. Defaults to BN.
        act_cfg (dict): Activation of the projections. Defaults to ReLU.
    """

    POLICIES = {'abs_diff': 1, 'concat': 2, 'concat_diff': 3}

    def __init__(self,
                 in_channels: Sequence[int],
                 policy: str = 'abs_diff',
                 out_channels=None,
                 norm_cfg: dict = dict(type='BN', requires_grad=True),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if policy not in self.POLICIES:
            raise ValueError(f'policy must be one of {list(self.POLICIES)}, got {policy!r}')
        self.in_channels = list(in_channels)
        self.policy = policy
        fused = [c * self.POLICIES[policy] for c in self.in_channels]
        if out_channels is None:
            self.out_channels = fused
            self.projections = None
        else:
            if isinstance(out_channels, int):
                out_channels = [out_channels] * len(fused)
            if len(out_channels) != len(fused):
                raise ValueError(f'{len(out_channels)} out_channels for {len(fused)} stages')
            self.out_channels = list(out_channels)
            self.projections = nn.ModuleList(
                ConvModule(c_in, c_out, 3, padding=1, norm_cfg=norm_cfg, act_cfg=act_cfg)
                for c_in, c_out in zip(fused, self.out_channels))

    def fuse(self, feat_a: torch.Tensor, feat_b: torch.Tensor) -> torch.Tensor:
        """Fuse one stage: ``[B, C, h, w]`` x 2 -> ``[B, C', h, w]``."""
        if self.policy == 'abs_diff':
            return (feat_a - feat_b).abs()
        if self.policy == 'concat':
            return torch.cat([feat_a, feat_b], dim=1)
        return torch.cat([feat_a, feat_b, (feat_a - feat_b).abs()], dim=1)

    def forward(self, feats: Sequence[torch.Tensor]) -> Tuple[torch.Tensor, ...]:
        if len(feats) != len(self.in_channels):
            raise ValueError(f'{type(self).__name__}: got {len(feats)} stages, '
                             f'configured for {len(self.in_channels)} ({self.in_channels})')
        outs: List[torch.Tensor] = []
        for i, feat in enumerate(feats):
            if feat.shape[0] % 2 or feat.shape[1] != self.in_channels[i]:
                raise ValueError(
                    f'{type(self).__name__}: stage {i} is {tuple(feat.shape)}; expected '
                    f'[2B, {self.in_channels[i]}, h, w] (dates stacked on the batch axis)')
            feat_a, feat_b = feat.chunk(2, dim=0)
            fused = self.fuse(feat_a, feat_b)
            if self.projections is not None:
                fused = self.projections[i](fused)
            outs.append(fused)
        return tuple(outs)
