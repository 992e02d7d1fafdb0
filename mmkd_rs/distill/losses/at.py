"""Attention transfer (Zagoruyko & Komodakis, ICLR 2017)."""
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import match_size


def attention_map(x: Tensor, p: float) -> Tensor:
    """``[N, C, H, W] -> [N, H*W]``: ``mean_c |x_c|^p``, L2-normalised per sample."""
    return F.normalize(x.abs().pow(p).mean(dim=1).flatten(1), dim=1)


@MODELS.register_module()
class ATLoss(nn.Module):
    """Squared L2 distance of normalised spatial attention maps.

    ``Q = normalize(mean_c |F_c|^p)``;
    ``loss = loss_weight * mean_n ||Q_S^n - Q_T^n||_2^2``. Channel counts may
    differ; a student map of another size is resized bilinearly to the
    teacher's before normalisation.
    """

    def __init__(self, p: float = 2.0, loss_weight: float = 1.0):
        super().__init__()
        self.p = p
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, preds_T: Tensor) -> Tensor:
        """``preds_S`` ``[N, Cs, H, W]``, ``preds_T`` ``[N, Ct, h, w]``; scalar out."""
        s_map = preds_S.abs().pow(self.p).mean(dim=1, keepdim=True)
        s_map = match_size(s_map, preds_T.shape[-2:])
        q_s = F.normalize(s_map.flatten(1), dim=1)
        q_t = attention_map(preds_T, self.p)
        return self.loss_weight * (q_s - q_t).pow(2).sum(dim=1).mean()
