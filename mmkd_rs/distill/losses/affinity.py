"""Pair-wise (structured) distillation (Liu et al., CVPR 2019)."""
from typing import Optional, Sequence, Union

import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS


def cosine_affinity(x: Tensor) -> Tensor:
    """``[N, C, H, W] -> [N, H*W, H*W]`` cosine similarity between positions."""
    f = F.normalize(x.flatten(2), dim=1)
    return f.transpose(1, 2) @ f


@MODELS.register_module()
class PairwiseAffinityLoss(nn.Module):
    """Squared difference of student and teacher affinity matrices.

    ``loss = loss_weight * mean_{n,i,j} (A_S[n,i,j] - A_T[n,i,j])^2`` where
    ``A[i,j]`` is the cosine similarity of the features at positions i, j.
    Channel counts may differ. Memory grows as ``(H*W)^2``: ``pool_size``
    average-pools both maps to that (H, W) first (the paper's node grouping).

    Args:
        pool_size (int | tuple, optional): output size of adaptive average
            pooling; None compares at full resolution (sizes must match).
        loss_weight (float): multiplier.
    """

    def __init__(self, pool_size: Optional[Union[int, Sequence[int]]] = None,
                 loss_weight: float = 1.0):
        super().__init__()
        self.pool_size = pool_size
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, preds_T: Tensor) -> Tensor:
        """``[N, Cs, H, W]`` and ``[N, Ct, H, W]`` features; scalar out."""
        if self.pool_size is not None:
            preds_S = F.adaptive_avg_pool2d(preds_S, self.pool_size)
            preds_T = F.adaptive_avg_pool2d(preds_T, self.pool_size)
        if preds_S.shape[-2:] != preds_T.shape[-2:]:
            raise ValueError(
                f'PairwiseAffinityLoss: spatial sizes differ (student '
                f'{tuple(preds_S.shape[-2:])}, teacher {tuple(preds_T.shape[-2:])}); '
                'set pool_size to compare at a common size.')
        diff = cosine_affinity(preds_S) - cosine_affinity(preds_T)
        return self.loss_weight * diff.pow(2).mean()
