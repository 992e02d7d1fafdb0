"""FitNets hint loss (Romero et al., ICLR 2015)."""
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import check_same_shape


@MODELS.register_module()
class FitNetLoss(nn.Module):
    """Mean squared error between (connector-adapted) student and teacher features.

    ``loss = loss_weight * mean((F_S - F_T)^2)`` over all elements.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, preds_T: Tensor) -> Tensor:
        """``preds_S`` (after its connector), ``preds_T``: ``[N, C, H, W]``."""
        check_same_shape('FitNetLoss', preds_S, preds_T,
                         'map the student feature through a connector '
                         "(connector='<name>' in its loss_forward_mappings entry).")
        return self.loss_weight * F.mse_loss(preds_S, preds_T)
