"""Channel-wise distillation (Shu et al., ICCV 2021)."""
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import check_same_shape


@MODELS.register_module()
class ChannelWiseDivergence(nn.Module):
    """KL between per-channel spatial distributions of student and teacher.

    Each channel's ``H*W`` activations become a distribution by
    ``softmax(x / tau)`` over positions;
    ``loss = loss_weight * tau^2 / (N*C) * sum_{n,c} KL(p_T^{n,c} || p_S^{n,c})``.

    Args:
        tau (float): temperature.
        loss_weight (float): multiplier.
    """

    def __init__(self, tau: float = 1.0, loss_weight: float = 1.0):
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, preds_T: Tensor) -> Tensor:
        """``preds_S``, ``preds_T``: ``[N, C, H, W]`` of equal shape (use a
        connector for channels/size). Returns a scalar."""
        check_same_shape('ChannelWiseDivergence', preds_S, preds_T,
                         'add a ConvBNConnector (channels) or ResizeConnector (size).')
        n, c = preds_S.shape[:2]
        s = preds_S.reshape(n * c, -1) / self.tau
        t = preds_T.reshape(n * c, -1) / self.tau
        log_p_t = F.log_softmax(t, dim=1)
        kl = (log_p_t.exp() * (log_p_t - F.log_softmax(s, dim=1))).sum()
        return self.loss_weight * self.tau ** 2 * kl / (n * c)
