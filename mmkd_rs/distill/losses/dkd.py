"""Decoupled knowledge distillation (Zhao et al., CVPR 2022), per pixel."""
import torch
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .ifvd import resize_labels
from .utils import match_size

# Subtracted from the target logit to drop it from the non-target softmax
# (as the paper's code): exp(-1000) is 0 in float16 and float32.
_MASK = 1000.0


@MODELS.register_module()
class DKDLoss(nn.Module):
    """Target-class (TCKD) and non-target-class (NCKD) KD terms for every pixel.

    With ``p = softmax(z / T)`` over the C classes and ``t`` the pixel's label:
    ``TCKD = KL([p_T[t], 1 - p_T[t]] || [p_S[t], 1 - p_S[t]])`` and
    ``NCKD = KL(q_T || q_S)`` with ``q`` the softmax of ``z / T`` over the
    classes other than ``t``;
    ``loss = loss_weight * T^2 * mean_{labelled pixels} (alpha * TCKD + beta * NCKD)``.
    With two classes ``q`` has a single entry, NCKD is 0 and TCKD equals the
    KD divergence: the loss is ``alpha`` times :class:`KDLoss` at the same T.

    Args:
        temperature (float): ``T`` (> 0).
        alpha (float): TCKD weight.
        beta (float): NCKD weight.
        loss_weight (float): multiplier.
        ignore_index (int): label value left out of the mean.
    """

    def __init__(self, temperature: float = 1.0, alpha: float = 1.0, beta: float = 1.0,
                 loss_weight: float = 1.0, ignore_index: int = 255):
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'DKDLoss: temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.alpha = alpha
        self.beta = beta
        self.loss_weight = loss_weight
        self.ignore_index = ignore_index

    def forward(self, preds_S: Tensor, preds_T: Tensor, gt_seg: Tensor) -> Tensor:
        """
        Args:
            preds_S (Tensor): student logits ``[N, C, H, W]``.
            preds_T (Tensor): teacher logits ``[N, C, h, w]`` (resized
                bilinearly to ``H, W`` if different).
            gt_seg (Tensor): labels ``[N, H', W']`` (resized nearest);
                ``ignore_index`` and values outside ``0 .. C - 1`` are left out.

        Returns:
            Tensor: scalar loss.
        """
        preds_T = match_size(preds_T.detach(), preds_S.shape[-2:]).to(preds_S.dtype)
        num_classes = preds_S.shape[1]
        labels = resize_labels(gt_seg, preds_S.shape[-2:])
        valid = (labels >= 0) & (labels < num_classes) & (labels != self.ignore_index)
        if not valid.any():
            return preds_S.sum() * 0.0
        target = torch.where(valid, labels, torch.zeros_like(labels))[:, None]  # [N, 1, H, W]
        is_target = torch.zeros_like(preds_S, dtype=torch.bool).scatter_(1, target, True)
        t = self.temperature
        terms = []
        for logits in (preds_T / t, preds_S / t):
            log_p = logits.log_softmax(dim=1)
            masked = logits - _MASK * is_target.to(logits.dtype)
            log_target = log_p.gather(1, target)                               # log p[t]
            log_rest = masked.logsumexp(dim=1, keepdim=True) - logits.logsumexp(
                dim=1, keepdim=True)                                           # log(1 - p[t])
            terms.append((torch.cat([log_target, log_rest], 1), masked.log_softmax(dim=1)))
        (bin_t, rest_t), (bin_s, rest_s) = terms
        tckd = (bin_t.exp() * (bin_t - bin_s)).sum(1)
        nckd = (rest_t.exp() * (rest_t - rest_s)).sum(1)
        per_pixel = self.alpha * tckd + self.beta * nckd                       # [N, H, W]
        return self.loss_weight * t * t * per_pixel[valid].mean()
