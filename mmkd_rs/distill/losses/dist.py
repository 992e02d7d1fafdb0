"""DIST: knowledge distillation from a stronger teacher (Huang et al., NeurIPS 2022)."""
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import match_size


def pearson_distance(a: Tensor, b: Tensor, dim: int, eps: float = 1e-8) -> Tensor:
    """``1 - Pearson correlation`` along ``dim``, averaged over the other axis."""
    a = a - a.mean(dim=dim, keepdim=True)
    b = b - b.mean(dim=dim, keepdim=True)
    return 1 - F.cosine_similarity(a, b, dim=dim, eps=eps).mean()


@MODELS.register_module()
class DISTLoss(nn.Module):
    """Inter- and intra-class relation distillation with Pearson correlation.

    With pixels as instances, ``Y = softmax(logits / tau)`` reshaped to
    ``[N*H*W, C]``: ``inter = 1 - mean_i rho(Y_S[i, :], Y_T[i, :])`` (across
    classes, per pixel), ``intra = 1 - mean_c rho(Y_S[:, c], Y_T[:, c])``
    (across pixels, per class);
    ``loss = loss_weight * tau^2 * (beta * inter + gamma * intra)``.
    """

    def __init__(self, beta: float = 1.0, gamma: float = 1.0, tau: float = 1.0,
                 loss_weight: float = 1.0):
        super().__init__()
        self.beta = beta
        self.gamma = gamma
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, logits_S: Tensor, logits_T: Tensor) -> Tensor:
        """``[N, C, H, W]`` logits (teacher resized to the student's size)."""
        logits_T = match_size(logits_T, logits_S.shape[-2:])
        c = logits_S.shape[1]
        y_s = F.softmax(logits_S / self.tau, dim=1).permute(0, 2, 3, 1).reshape(-1, c)
        y_t = F.softmax(logits_T / self.tau, dim=1).permute(0, 2, 3, 1).reshape(-1, c)
        inter = pearson_distance(y_s, y_t, dim=1)
        intra = pearson_distance(y_s, y_t, dim=0)
        return self.loss_weight * self.tau ** 2 * (self.beta * inter + self.gamma * intra)
