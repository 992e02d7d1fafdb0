"""Vanilla pixel-wise knowledge distillation (Hinton et al., 2015)."""
from typing import Optional

import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import match_size


@MODELS.register_module()
class KDLoss(nn.Module):
    """Pixel-wise KL(teacher || student) of temperature-softened class maps.

    ``loss = loss_weight * T^2 * mean_{valid pixels} sum_c p_T log(p_T / p_S)``
    with ``p = softmax(logits / T)`` over classes. The ``T^2`` factor keeps the
    gradient scale independent of ``T``.

    Args:
        temperature (float): softening temperature ``T`` (> 0).
        loss_weight (float): multiplier of the loss.
        ignore_index (int): label value excluded from the mean when
            ``gt_seg`` is given.
    """

    def __init__(self, temperature: float = 1.0, loss_weight: float = 1.0,
                 ignore_index: int = 255):
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'KDLoss: temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight
        self.ignore_index = ignore_index

    def forward(self, preds_S: Tensor, preds_T: Tensor,
                gt_seg: Optional[Tensor] = None) -> Tensor:
        """
        Args:
            preds_S (Tensor): student logits ``[N, C, H, W]``.
            preds_T (Tensor): teacher logits ``[N, C, h, w]`` (resized
                bilinearly to ``H, W`` if different).
            gt_seg (Tensor, optional): labels ``[N, H', W']``; pixels equal to
                ``ignore_index`` (after nearest resizing) are left out.

        Returns:
            Tensor: scalar loss.
        """
        preds_T = match_size(preds_T, preds_S.shape[-2:])
        t = self.temperature
        log_p_s = F.log_softmax(preds_S / t, dim=1)
        log_p_t = F.log_softmax(preds_T / t, dim=1)
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(dim=1)  # [N, H, W]
        if gt_seg is not None:
            gt = F.interpolate(gt_seg[:, None].float(), size=kl.shape[-2:],
                               mode='nearest')[:, 0]
            valid = gt != self.ignore_index
            kl = kl[valid] if valid.any() else kl.sum() * 0.0
        return self.loss_weight * t * t * kl.mean()
