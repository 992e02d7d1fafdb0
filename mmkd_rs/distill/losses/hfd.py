"""HFD-Net heterogeneous feature distillation (HFDM) on HFAM-aligned features."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

_DISTANCES = ('mse', 'normalized', 'attention')
Features = Union[Tensor, Sequence[Tensor]]


def split_scales(feats: Features, num_scales: int, name: str) -> Tuple[Tensor, ...]:
    """Per-scale maps from a channel concatenation or a sequence of maps.

    A tensor ``[N, K * C, H, W]`` (e.g. the input of ``HFAMNeck.fuse``: the K
    pyramid levels aligned to the finest one and concatenated) is split into
    ``K = num_scales`` chunks of ``C`` channels; a list/tuple is taken as is.
    """
    if isinstance(feats, Tensor):
        if feats.dim() != 4 or feats.shape[1] % num_scales:
            raise ValueError(
                f'HFDLoss: {name} of shape {tuple(feats.shape)} cannot be split into '
                f'num_scales={num_scales} equal channel groups; record the input of '
                "'neck.fuse' (ModuleInputs, data_idx=0) or set num_scales.")
        return tuple(feats.chunk(num_scales, dim=1))
    feats = tuple(feats)
    if len(feats) != num_scales or not all(isinstance(f, Tensor) for f in feats):
        raise ValueError(f'HFDLoss: {name} must be a tensor or a sequence of '
                         f'{num_scales} tensors, got {len(feats)} item(s)')
    return feats


def scale_distance(s: Tensor, t: Tensor, distance: str, tau: float) -> Tensor:
    """Distance of one scale, ``s``/``t`` ``[N, C, H, W]`` -> scalar.

    * ``'mse'``: ``mean (s - t)^2`` over all elements;
    * ``'normalized'``: both maps L2-normalised over channels at each pixel,
      then ``mean_pixels ||s_hat - t_hat||^2`` (in [0, 4]; insensitive to the
      different activation magnitudes of SAR and EO features);
    * ``'attention'``: per-pixel ``mean_c (s - t)^2`` weighted by the teacher's
      spatial attention ``H*W * softmax_pixels(mean_c t^2 / tau)`` (weights
      average to 1 per image), then the mean.
    """
    if distance == 'mse':
        return F.mse_loss(s, t)
    if distance == 'normalized':
        diff = F.normalize(s, dim=1) - F.normalize(t, dim=1)
        return diff.pow(2).sum(dim=1).mean()
    n, _, h, w = t.shape
    energy = t.pow(2).mean(dim=1).flatten(1)  # [N, H*W]
    weight = torch.softmax(energy / tau, dim=1) * (h * w)
    per_pixel = (s - t).pow(2).mean(dim=1).flatten(1)
    return (weight * per_pixel).mean()


@MODELS.register_module()
class HFDLoss(nn.Module):
    """Per-scale feature distillation from the EO teacher to the SAR student.

    ``loss = loss_weight * sum_k w_k * d(S_k, T_k)`` over the ``K`` scales of
    the HFAM-aligned features, with ``d`` one of :func:`scale_distance`.
    Student and teacher have the identical architecture (HFD-Net), so no
    connector is needed. The per-scale weights are not given in the HFD-Net
    letter; the default ``w_k = 1 / K`` makes the loss the mean over scales.

    Args:
        num_scales (int): number of scales ``K`` (4 for a 4-stage backbone).
        scale_weights (Sequence[float], optional): ``w_k``, finest first;
            default ``[1 / K] * K``.
        distance (str): 'mse' (default), 'normalized' or 'attention'.
        tau (float): softmax temperature of the 'attention' weights.
        loss_weight (float): multiplier of the loss.
    """

    def __init__(self, num_scales: int = 4, scale_weights: Optional[Sequence[float]] = None,
                 distance: str = 'mse', tau: float = 1.0, loss_weight: float = 1.0):
        super().__init__()
        if distance not in _DISTANCES:
            raise ValueError(f'HFDLoss: distance must be one of {_DISTANCES}, got {distance!r}')
        if num_scales < 1:
            raise ValueError(f'HFDLoss: num_scales must be >= 1, got {num_scales}')
        if scale_weights is None:
            scale_weights = [1.0 / num_scales] * num_scales
        if len(scale_weights) != num_scales:
            raise ValueError(f'HFDLoss: {len(scale_weights)} scale_weights for '
                             f'num_scales={num_scales}')
        if tau <= 0:
            raise ValueError(f'HFDLoss: tau must be > 0, got {tau}')
        self.num_scales = num_scales
        self.scale_weights = [float(w) for w in scale_weights]
        self.distance = distance
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, preds_S: Features, preds_T: Features) -> Tensor:
        """
        Args:
            preds_S: student features, ``[N, K*C, H, W]`` (split into the K
                scales) or a sequence of K maps ``[N, C_k, H_k, W_k]``.
            preds_T: teacher features of the same layout and shapes.

        Returns:
            Tensor: scalar loss.
        """
        student = split_scales(preds_S, self.num_scales, 'preds_S')
        teacher = split_scales(preds_T, self.num_scales, 'preds_T')
        total = student[0].new_zeros(())
        for k, (s, t, w) in enumerate(zip(student, teacher, self.scale_weights)):
            if s.shape != t.shape:
                raise ValueError(f'HFDLoss: scale {k}: student {tuple(s.shape)} and teacher '
                                 f'{tuple(t.shape)} differ; HFD-Net expects the identical '
                                 'architecture for both.')
            total = total + w * scale_distance(s, t, self.distance, self.tau)
        return self.loss_weight * total
