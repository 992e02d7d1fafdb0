"""Soft (Jaccard) IoU loss on softmax probabilities."""
import torch.nn as nn

from mmkd_rs.registry import MODELS
from .masked_probs import masked_probs_and_onehot


@MODELS.register_module()
class SoftIoULoss(nn.Module):
    """``1 - mean_c IoU_c`` with ``IoU_c = sum(p_c * g_c) / sum(p_c + g_c - p_c * g_c)``
    over the valid pixels of each image, ``p = softmax(logits)``, ``g`` one-hot.

    Args:
        classes (list[int], optional): classes averaged (default all; ``[1]``
            gives the road-only IoU loss of a 2-class head).
        smooth (float): added to numerator and denominator (an image without road
            and without predicted road scores IoU 1, not 0/0).
        loss_weight (float): multiplier.
        loss_name (str): key in the loss dict.

    Forward:
        cls_score ``[B, C, H, W]`` logits; label ``[B, H, W]`` long with
        ``ignore_index``; returns a scalar (mean over images and classes).
    """

    def __init__(self, classes=None, smooth=1.0, loss_weight=1.0, loss_name='loss_soft_iou'):
        super().__init__()
        self.classes = classes
        self.smooth = smooth
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, cls_score, label, weight=None, ignore_index=255, **kwargs):
        prob, target = masked_probs_and_onehot(cls_score, label, ignore_index)
        inter = (prob * target).sum(dim=(2, 3))
        union = (prob + target - prob * target).sum(dim=(2, 3))
        iou = (inter + self.smooth) / (union + self.smooth)
        if self.classes is not None:
            iou = iou[:, list(self.classes)]
        return self.loss_weight * (1.0 - iou.mean())

    @property
    def loss_name(self):
        return self._loss_name
