"""Attention transfer (Zagoruyko & Komodakis, ICLR 2017)."""
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import match_size

REDUCTIONS = ('mean', 'sum')


def _activation_map(x: Tensor, p: float) -> Tensor:
    """``[N, C, H, W] -> [N, 1, H, W]``: ``mean_c |x_c|^p`` in float32 (``|x|^2``
    of fp16 features past 256 would overflow fp16)."""
    return x.float().abs().pow(p).mean(dim=1, keepdim=True)


def attention_map(x: Tensor, p: float) -> Tensor:
    """``[N, C, H, W] -> [N, H*W]``: ``mean_c |x_c|^p``, L2-normalised per sample (float32)."""
    return F.normalize(_activation_map(x, p).flatten(1), dim=1)


@MODELS.register_module()
class ATLoss(nn.Module):
    """Squared L2 distance of normalised spatial attention maps.

    ``Q = normalize(mean_c |F_c|^p)`` over the ``H*W`` positions of the
    teacher map; with ``reduction='mean'`` (default, the scale of the official
    code's ``(at(x) - at(y)).pow(2).mean()``)
    ``loss = loss_weight * mean_n mean_j (Q_S^n_j - Q_T^n_j)^2``; with
    ``'sum'`` the positions are summed instead, ``H*W`` times the default.
    Channel counts may differ; a student map of another size is resized
    bilinearly to the teacher's before normalisation. Computed in float32.

    Args:
        p (float): exponent of the activation map.
        reduction (str): ``'mean'`` or ``'sum'`` over positions.
        loss_weight (float): multiplier (the paper's β; its official code
            uses 1000 with ``'mean'``).
    """

    def __init__(self, p: float = 2.0, reduction: str = 'mean', loss_weight: float = 1.0):
        super().__init__()
        if reduction not in REDUCTIONS:
            raise ValueError(f'ATLoss: reduction={reduction!r}; expected one of {REDUCTIONS}')
        self.p = p
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, preds_T: Tensor) -> Tensor:
        """``preds_S`` ``[N, Cs, H, W]``, ``preds_T`` ``[N, Ct, h, w]``; float32 scalar out."""
        s_map = match_size(_activation_map(preds_S, self.p), preds_T.shape[-2:])
        q_s = F.normalize(s_map.flatten(1), dim=1)
        q_t = attention_map(preds_T, self.p)
        sq = (q_s - q_t).pow(2)
        loss = sq.mean() if self.reduction == 'mean' else sq.sum(dim=1).mean()
        return self.loss_weight * loss
