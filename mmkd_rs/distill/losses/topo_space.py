"""Topological space loss of TSKD-Road: road maps compared in a frozen feature space.

Reconstruction (only the TSKD-Road abstract is public) following the
perceptual topology loss of Mosinska et al. (CVPR 2018): two road probability
maps ``a`` (student) and ``b`` (ground truth or teacher) are fed to a frozen
network ``phi`` and compared at several depths ``n`` (feature stages) and
widths ``m`` (input scales of the road maps: at scale ``s`` every feature of
``phi`` sees a road neighbourhood ``1 / s`` times wider)::

    L = loss_weight * sum_{n,m} w_nm * mean((phi_n(a_m) - phi_n(b_m))^2) / sum_{n,m} w_nm

with ``a_m`` the map resized by ``scales[m]`` and ``w_nm = depth_weights[n] *
scale_weights[m]``. Each term is a mean over its elements, and the weighted sum
is divided by the sum of the weights, so ``L`` is a weighted mean of per-term
mean squared errors. (Splitting a stage into equal channel groups adds no
axis: with equal weights the mean of the group MSEs is the stage's MSE.)
"""
from typing import Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from ..feature_net import build_feature_net, check_feature_net_spec
from ..wiring import DistillConfigError


def _weights(values: Optional[Sequence[float]], n: int, name: str) -> list:
    if values is None:
        return [1.0] * n
    values = [float(v) for v in values]
    if len(values) != n or any(v < 0 for v in values) or sum(values) <= 0:
        raise ValueError(f'TopologicalSpaceLoss: {name} must be {n} non-negative numbers '
                         f'with a positive sum, got {values}')
    return values


def road_probability(logits: Tensor, road_index: int = 1) -> Tensor:
    """Road probability ``[B, 1, H, W]`` from logits ``[B, 1, H, W]`` (sigmoid)
    or ``[B, C, H, W]``, C >= 2 (softmax, channel ``road_index``)."""
    if logits.dim() != 4 or not logits.is_floating_point():
        raise ValueError('TopologicalSpaceLoss: logits must be a float tensor [B, C, H, W], '
                         f'got {logits.dtype} {tuple(logits.shape)}')
    if logits.shape[1] == 1:
        return logits.sigmoid()
    return logits.softmax(dim=1)[:, road_index:road_index + 1]


@MODELS.register_module()
class TopologicalSpaceLoss(nn.Module):
    """Student road map vs ground truth and/or teacher road map in a frozen feature space.

    Args:
        feature_net (dict): the frozen network ``phi``:
            ``dict(teacher='teacher', module='backbone.encoder')`` (default:
            the teacher's own encoder, bound by ``TSKDDistiller``) or
            ``dict(cfg=..., ckpt=..., module=None)`` (built and strictly
            loaded, see :mod:`mmkd_rs.distill.feature_net`).
        depths (Sequence[int]): indices into the network's output tuple
            (e.g. ResNet stages 0..3); a single-tensor output is index 0.
        depth_weights (Sequence[float], optional): one weight per depth
            (default equal).
        scales (Sequence[float]): the widths: input scales of the road maps
            (bilinear resize before ``phi``); 1.0 is the recorded size.
        scale_weights (Sequence[float], optional): one weight per scale.
        in_channels (int): channels the network expects; the road map
            ``p`` enters as ``(p - input_mean) / input_std`` repeated on
            ``in_channels`` channels (a fixed 1 -> C adapter).
        input_mean (float): see ``in_channels``.
        input_std (float): see ``in_channels``.
        road_index (int): road class (logit channel and label value).
        ignore_index (int): label value set to 0 in both maps.
        gt_weight (float): weight of the student-vs-ground-truth term.
        teacher_weight (float): weight of the student-vs-teacher term.
        loss_weight (float): multiplier of both terms.
    """

    def __init__(self, feature_net: dict = dict(teacher='teacher', module='backbone.encoder'),
                 depths: Sequence[int] = (0, 1, 2),
                 depth_weights: Optional[Sequence[float]] = None,
                 scales: Sequence[float] = (1.0, ),
                 scale_weights: Optional[Sequence[float]] = None,
                 in_channels: int = 3, input_mean: float = 0.5, input_std: float = 0.25,
                 road_index: int = 1, ignore_index: int = 255,
                 gt_weight: float = 1.0, teacher_weight: float = 1.0,
                 loss_weight: float = 1.0):
        super().__init__()
        where = 'TopologicalSpaceLoss'
        self.feature_net_spec = dict(feature_net)
        kind = check_feature_net_spec(self.feature_net_spec, where)
        self.depths = [int(d) for d in depths]
        if not self.depths or any(d < 0 for d in self.depths):
            raise ValueError(f'{where}: depths must be non-negative stage indices, got {depths}')
        self.scales = [float(s) for s in scales]
        if not self.scales or any(s <= 0 for s in self.scales):
            raise ValueError(f'{where}: scales must be positive, got {scales}')
        if input_std <= 0:
            raise ValueError(f'{where}: input_std must be > 0, got {input_std}')
        self.depth_weights = _weights(depth_weights, len(self.depths), 'depth_weights')
        self.scale_weights = _weights(scale_weights, len(self.scales), 'scale_weights')
        self.in_channels = in_channels
        self.input_mean = input_mean
        self.input_std = input_std
        self.road_index = road_index
        self.ignore_index = ignore_index
        self.gt_weight = gt_weight
        self.teacher_weight = teacher_weight
        self.loss_weight = loss_weight
        # Held outside the module tree: never in state_dict, parameters() or the optimizer.
        self._net = [build_feature_net(self.feature_net_spec, where)
                     if kind == 'build' else None]
        self._owns_net = kind == 'build'

    # ------------------------------------------------------------ feature net
    @property
    def teacher_source(self) -> Optional[tuple]:
        """``(teacher name, module path)`` when ``phi`` is borrowed from a teacher."""
        spec = self.feature_net_spec
        return (spec['teacher'], spec.get('module')) if 'teacher' in spec else None

    def bind_feature_net(self, net: nn.Module) -> None:
        """Use ``net`` (already frozen, e.g. a teacher's encoder) as ``phi``."""
        self._net[0] = net

    @property
    def feature_net(self) -> nn.Module:
        net = self._net[0]
        if net is None:
            raise DistillConfigError(
                'TopologicalSpaceLoss: feature_net=dict(teacher=...) was never bound to a '
                "teacher. Use distiller type='TSKDDistiller', or give feature_net="
                'dict(cfg=..., ckpt=...).')
        return net

    def train(self, mode: bool = True):
        super().train(mode)
        if self._owns_net and self._net[0] is not None:
            self._net[0].eval()
        return self

    # ---------------------------------------------------------------- helpers
    def _features(self, road_map: Tensor, scale: float) -> list:
        """``phi`` outputs (list) of a road map ``[B, 1, H, W]`` at ``scale``."""
        net = self.feature_net
        if self._owns_net:
            param = next(net.parameters(), None)
            if param is not None and param.device != road_map.device:
                net.to(road_map.device)
        if scale != 1.0:
            road_map = F.interpolate(road_map, scale_factor=scale, mode='bilinear',
                                     align_corners=False)
        image = ((road_map - self.input_mean) / self.input_std).expand(
            -1, self.in_channels, -1, -1)
        feats = net(image)
        feats = list(feats) if isinstance(feats, (tuple, list)) else [feats]
        if max(self.depths) >= len(feats):
            raise DistillConfigError(
                f'TopologicalSpaceLoss: depths={self.depths} but the feature network '
                f'returns {len(feats)} map(s) (indices 0..{len(feats) - 1}).')
        return feats

    def distances(self, a: Tensor, targets: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """Weighted mean of per-(depth, scale) MSEs between ``a`` and each target.

        ``a`` and every target are maps ``[B, 1, H, W]``. ``a``'s features are
        computed once per scale (with gradients); the targets' features in one
        batched pass without gradients.
        """
        names = list(targets)
        totals = {n: a.new_zeros(()) for n in names}
        norm = 0.0
        for scale, w_s in zip(self.scales, self.scale_weights):
            feats_a = self._features(a, scale)
            with torch.no_grad():
                stacked = torch.cat([targets[n].detach() for n in names])
                feats_t = [f.chunk(len(names)) for f in self._features(stacked, scale)]
            for depth, w_d in zip(self.depths, self.depth_weights):
                for i, name in enumerate(names):
                    totals[name] = totals[name] + w_s * w_d * F.mse_loss(
                        feats_a[depth], feats_t[depth][i])
                norm += w_s * w_d
        return {n: v / norm for n, v in totals.items()}

    def distance(self, a: Tensor, b: Tensor) -> Tensor:
        """:meth:`distances` for one target map ``b``."""
        return self.distances(a, dict(target=b))['target']

    def _labels(self, gt_seg: Tensor, size) -> tuple:
        """Road map and valid mask ``[B, 1, H, W]`` from labels ``[B, H', W']``."""
        if gt_seg.dim() == 4 and gt_seg.shape[1] == 1:
            gt_seg = gt_seg[:, 0]
        if gt_seg.dim() != 3 or gt_seg.is_floating_point():
            raise ValueError('TopologicalSpaceLoss: gt_seg must be integer labels [B, H, W] '
                             f"(map it with dict(from_data='gt_sem_seg')), got {gt_seg.dtype} "
                             f'{tuple(gt_seg.shape)}')
        gt = F.interpolate(gt_seg[:, None].float(), size=tuple(size), mode='nearest')
        valid = (gt != self.ignore_index).float()
        return (gt == self.road_index).float(), valid

    # ---------------------------------------------------------------- forward
    def forward(self, preds_S: Tensor, preds_T: Optional[Tensor] = None,
                gt_seg: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """
        Args:
            preds_S (Tensor): student logits ``[B, C, H, W]`` (C = 1: sigmoid,
                C >= 2: softmax, channel ``road_index``).
            preds_T (Tensor, optional): teacher logits ``[B, C, h, w]``
                (resized bilinearly to ``H, W``).
            gt_seg (Tensor, optional): labels ``[B, H', W']`` (nearest-resized
                to ``H, W``); ``ignore_index`` pixels are zeroed in every map.

        Returns:
            dict: ``gt`` (student vs labels) and/or ``teacher`` (student vs
            teacher), scalars already multiplied by ``loss_weight`` and their
            own weight; only the terms whose target is given.
        """
        if preds_T is None and gt_seg is None:
            raise DistillConfigError('TopologicalSpaceLoss: map preds_T and/or gt_seg in '
                                     'loss_forward_mappings; got neither.')
        size = preds_S.shape[-2:]
        student = road_probability(preds_S, self.road_index)
        targets, weights = {}, {}
        valid = None
        if gt_seg is not None:
            targets['gt'], valid = self._labels(gt_seg, size)
            weights['gt'] = self.gt_weight
        if preds_T is not None:
            if tuple(preds_T.shape[-2:]) != tuple(size):
                preds_T = F.interpolate(preds_T, size=tuple(size), mode='bilinear',
                                        align_corners=False)
            targets['teacher'] = road_probability(preds_T, self.road_index)
            weights['teacher'] = self.teacher_weight
        if valid is not None:
            student = student * valid
            targets = {n: t * valid for n, t in targets.items()}
        losses = {n: weights[n] * d for n, d in self.distances(student, targets).items()}
        return {k: self.loss_weight * v for k, v in losses.items()}
