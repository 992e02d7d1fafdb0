"""Cross-entropy with per-batch class-balancing weights ``1 / ln(c + p_c)``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmkd_rs.registry import MODELS


def balanced_class_weights(label, num_classes, ignore_index=255, c=1.02):
    """``w_k = 1 / ln(c + p_k)``, ``p_k`` = frequency of class ``k`` among the valid
    pixels of ``label`` (ENet weighting; rare classes get up to ``1 / ln(c)``).
    Returns a ``[num_classes]`` tensor (no gradient)."""
    valid = label[label != ignore_index].long()
    counts = torch.bincount(valid, minlength=num_classes)[:num_classes].to(torch.float32)
    freq = counts / counts.sum().clamp(min=1.0)
    return 1.0 / torch.log(c + freq)


@MODELS.register_module()
class ClassBalancedCrossEntropyLoss(nn.Module):
    """Cross-entropy weighted by :func:`balanced_class_weights` of the batch.

    The loss is the weighted mean ``sum_i w_{y_i} CE_i / sum_i w_{y_i}`` over valid
    pixels (PyTorch's weighted ``cross_entropy``), so its scale does not depend on
    the weights' magnitude.

    Args:
        c (float): the constant in ``1 / ln(c + p)`` (1.02 in Xu et al.).
        loss_weight (float): multiplier.
        loss_name (str): key in the loss dict.

    Forward:
        cls_score ``[B, C, H, W]`` logits; label ``[B, H, W]`` long with
        ``ignore_index``; returns a scalar.
    """

    def __init__(self, c=1.02, loss_weight=1.0, loss_name='loss_balanced_ce'):
        super().__init__()
        if c <= 1.0:
            raise ValueError(f'c must be > 1 so that all weights are finite, got {c}')
        self.c = c
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, cls_score, label, weight=None, ignore_index=255, **kwargs):
        label = label.long()
        if not (label != ignore_index).any():
            return cls_score.sum() * 0.0
        w = balanced_class_weights(label, cls_score.shape[1], ignore_index, self.c)
        loss = F.cross_entropy(cls_score, label, weight=w.to(cls_score), ignore_index=ignore_index)
        return self.loss_weight * loss

    @property
    def loss_name(self):
        return self._loss_name
