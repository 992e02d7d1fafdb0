"""Masked generative distillation (Yang et al., ECCV 2022)."""
from typing import Optional

import torch
from torch import Tensor, nn

from mmkd_rs.engine.rng_state_hook import private_generator
from mmkd_rs.registry import MODELS


@MODELS.register_module()
class MGDLoss(nn.Module):
    """Regenerate the teacher feature from a randomly masked student feature.

    ``S' = align(F_S) * M`` with ``M`` zero at a random ``lambda_mgd`` share of
    positions (one mask for all channels), ``G = conv3x3 -> ReLU -> conv3x3``;
    ``loss = loss_weight * alpha_mgd * sum((G(S') - F_T)^2) / N``.
    ``align`` is a 1x1 conv when channel counts differ. The generator (and
    align) are trained with the student and dropped at deployment.

    Args:
        student_channels (int): channels of ``F_S``.
        teacher_channels (int): channels of ``F_T``.
        alpha_mgd (float): the paper's loss scale.
        lambda_mgd (float): masked share of positions, in [0, 1).
        loss_weight (float): extra multiplier.
        seed (int, optional): seed of the masks' private generator; ``None``:
            the run's seed (the global generators are never drawn from, see
            :func:`~mmkd_rs.engine.rng_state_hook.private_generator`).
    """

    def __init__(self, student_channels: int, teacher_channels: int,
                 alpha_mgd: float = 2e-5, lambda_mgd: float = 0.75,
                 loss_weight: float = 1.0, seed: Optional[int] = None):
        super().__init__()
        if not 0 <= lambda_mgd < 1:
            raise ValueError(f'MGDLoss: lambda_mgd must be in [0, 1), got {lambda_mgd}')
        self.alpha_mgd = alpha_mgd
        self.lambda_mgd = lambda_mgd
        self.loss_weight = loss_weight
        self.generator = private_generator(seed)
        self.align = (nn.Conv2d(student_channels, teacher_channels, 1)
                      if student_channels != teacher_channels else nn.Identity())
        self.generation = nn.Sequential(
            nn.Conv2d(teacher_channels, teacher_channels, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(teacher_channels, teacher_channels, 3, padding=1))

    def random_mask(self, n: int, h: int, w: int, like: Tensor) -> Tensor:
        """``[N, 1, H, W]`` of 0 (masked, probability ``lambda_mgd``) / 1."""
        keep = torch.rand((n, 1, h, w), generator=self.generator) >= self.lambda_mgd
        return keep.to(device=like.device, dtype=like.dtype)

    def forward(self, preds_S: Tensor, preds_T: Tensor) -> Tensor:
        """``preds_S`` ``[N, Cs, H, W]``, ``preds_T`` ``[N, Ct, H, W]``."""
        n, _, h, w = preds_T.shape
        if preds_S.shape[-2:] != preds_T.shape[-2:]:
            raise ValueError(f'MGDLoss: spatial sizes differ, student {tuple(preds_S.shape)} '
                             f'vs teacher {tuple(preds_T.shape)}; add a ResizeConnector.')
        masked = self.align(preds_S) * self.random_mask(n, h, w, preds_T)
        generated = self.generation(masked)
        return self.loss_weight * self.alpha_mgd * (generated - preds_T).pow(2).sum() / n
