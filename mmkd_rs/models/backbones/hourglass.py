"""Stacked hourglass trunk with global-aware residual blocks (Xu et al. road network).

Structure (following the public code of Xu et al., arXiv:2312.04744,
``StackHourglass`` with ``SCBasicBlock``):

* stem: 7x7/2 conv, residual, max-pool, residual at ``stem_channels``, residual
  to ``channels`` (at 1/4);
* ``num_stacks`` hourglasses of ``depth`` levels (max-pool down, nearest up, skip
  residuals); after each: residual + 1x1 conv-BN-ReLU (``y_i``), and intermediate
  segmentation (``num_classes``) and connectivity (``num_conn_classes``) logits, one
  head per task: 3x3 conv to ``channels // 4``, ReLU, 1x1 conv;
* before the next stack the trunk re-injects ``y_i`` and the concatenated logits
  through two 1x1 convs: ``x = x + fc(y_i) + score(cat(seg_i, conn_i))``.

Residual blocks are basic blocks (two 3x3 conv-BN) whose residual branch ends with
the global-aware (GA) layer: an SE channel gate, then a spatial gate
``sigmoid(mean over channels)``; ``relu(skip(x) + GA(branch(x)))``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmkd_rs.registry import MODELS


class GlobalAwareLayer(nn.Module):
    """SE channel gate (reduction ``ratio``) followed by the spatial gate
    ``sigmoid(x.mean(dim=1))``. Shape-preserving: ``[B, C, H, W]``."""

    def __init__(self, channels, ratio=16):
        super().__init__()
        hidden = max(channels // ratio, 4)
        self.fc = nn.Sequential(nn.Linear(channels, hidden), nn.ReLU(inplace=True),
                                nn.Linear(hidden, channels), nn.Sigmoid())

    def forward(self, x):
        gate = self.fc(x.mean(dim=(2, 3)))[:, :, None, None]
        x = x * gate
        return x * torch.sigmoid(x.mean(dim=1, keepdim=True))


class GAResidual(nn.Module):
    """Basic residual block ``in -> out``: ``relu(skip(x) + GA(bn(conv3x3(relu(bn(
    conv3x3(x)))))))``, skip = identity, or 1x1 conv + BN when channels change.
    Shape: ``[B, in, H, W] -> [B, out, H, W]``."""

    def __init__(self, in_channels, out_channels, use_ga=True):
        super().__init__()
        self.branch = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels))
        self.ga = GlobalAwareLayer(out_channels) if use_ga else nn.Identity()
        self.skip = (nn.Identity() if in_channels == out_channels else nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels)))

    def forward(self, x):
        return F.relu(self.skip(x) + self.ga(self.branch(x)))


class MultitaskScore(nn.Module):
    """Intermediate logits: one head per task (3x3 conv to ``channels // 4``, ReLU,
    1x1 conv), concatenated: ``[B, channels, h, w] -> [B, sum(num_outputs), h, w]``."""

    def __init__(self, channels, num_outputs):
        super().__init__()
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Conv2d(channels, channels // 4, 3, padding=1),
                          nn.ReLU(inplace=True), nn.Conv2d(channels // 4, n, 1))
            for n in num_outputs)

    def forward(self, x):
        return torch.cat([head(x) for head in self.heads], dim=1)


class Hourglass(nn.Module):
    """Recursive hourglass of ``depth`` levels; input and output ``[B, C, H, W]``
    with ``H, W`` divisible by ``2 ** depth``."""

    def __init__(self, channels, depth, use_ga=True):
        super().__init__()
        self.up = GAResidual(channels, channels, use_ga)
        self.down = GAResidual(channels, channels, use_ga)
        self.inner = (Hourglass(channels, depth - 1, use_ga) if depth > 1 else
                      GAResidual(channels, channels, use_ga))
        self.after = GAResidual(channels, channels, use_ga)

    def forward(self, x):
        low = self.after(self.inner(self.down(F.max_pool2d(x, 2))))
        return self.up(x) + F.interpolate(low, size=x.shape[2:], mode='nearest')


def _conv_bn_relu(in_channels, out_channels, kernel=1):
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, kernel, padding=kernel // 2,
                                   bias=False),
                         nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


@MODELS.register_module()
class StackedHourglassGA(BaseModule):
    """Stacked multitask hourglass trunk of Xu et al. (see module docstring).

    Args:
        in_channels (int): image channels.
        stem_channels (int): width of the 7x7 stem conv.
        channels (int): hourglass width.
        num_stacks (int): stacked hourglasses (2 in the paper's code).
        depth (int): levels per hourglass (3).
        num_classes (int): segmentation classes of the intermediate logits (2).
        num_conn_classes (int): connectivity classes of the intermediate logits (5).
        use_ga (bool): global-aware layers in the residual blocks.

    Returns (forward):
        tuple[Tensor]: ``num_stacks`` features ``y_i`` ``[B, channels, H/4, W/4]``
        followed by ``num_stacks`` intermediate logits ``[B, num_classes +
        num_conn_classes, H/4, W/4]`` (segmentation channels first). Use
        :class:`RoadConnectivityHead` with ``in_index=num_stacks - 1`` and
        ``intermediate_logit_index=range(num_stacks, 2 * num_stacks)``.
    """

    def __init__(self, in_channels=3, stem_channels=64, channels=128, num_stacks=2, depth=3,
                 num_classes=2, num_conn_classes=5, use_ga=True, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.num_stacks = num_stacks
        self.num_classes = num_classes
        self.num_conn_classes = num_conn_classes
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, stem_channels, 7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(stem_channels), nn.ReLU(inplace=True),
            GAResidual(stem_channels, stem_channels, use_ga), nn.MaxPool2d(2),
            GAResidual(stem_channels, stem_channels, use_ga),
            GAResidual(stem_channels, channels, use_ga))
        n_out = num_classes + num_conn_classes
        self.hourglasses = nn.ModuleList(
            Hourglass(channels, depth, use_ga) for _ in range(num_stacks))
        self.post = nn.ModuleList(
            nn.Sequential(GAResidual(channels, channels, use_ga), _conv_bn_relu(channels, channels))
            for _ in range(num_stacks))
        self.score = nn.ModuleList(
            MultitaskScore(channels, (num_classes, num_conn_classes)) for _ in range(num_stacks))
        self.reinject_feat = nn.ModuleList(
            nn.Conv2d(channels, channels, 1) for _ in range(num_stacks - 1))
        self.reinject_score = nn.ModuleList(
            nn.Conv2d(n_out, channels, 1) for _ in range(num_stacks - 1))

    def forward(self, x):
        x = self.stem(x)
        feats, logits = [], []
        for i in range(self.num_stacks):
            y = self.post[i](self.hourglasses[i](x))
            score = self.score[i](y)
            feats.append(y)
            logits.append(score)
            if i < self.num_stacks - 1:
                x = x + self.reinject_feat[i](y) + self.reinject_score[i](score)
        return tuple(feats) + tuple(logits)
