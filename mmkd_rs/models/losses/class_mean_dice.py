"""Soft Dice loss averaged over classes (each class weighs the same)."""
import torch.nn as nn

from mmkd_rs.registry import MODELS
from .masked_probs import masked_probs_and_onehot


@MODELS.register_module()
class ClassMeanDiceLoss(nn.Module):
    """``1 - mean_c Dice_c`` with ``Dice_c = (2 sum p_c g_c + s) / (sum p_c + sum g_c + s)``
    summed over all valid pixels of the batch, ``p = softmax(logits)``, ``g`` one-hot.

    mmseg's ``DiceLoss`` flattens all classes of an image into one Dice, so on
    a 2-class map with 6 % buildings the background alone drives it (a network
    predicting only background already scores ~0.95 Dice). Here every class
    has its own Dice and they are averaged, so the rare class counts as much
    as the background -- the multi-class soft Dice commonly paired with CE for
    building segmentation.

    Args:
        smooth (float): added to numerator and denominator (a class absent from
            both the labels and the prediction scores Dice 1, not 0/0).
        loss_weight (float): multiplier.
        loss_name (str): key in the loss dict.

    Forward:
        cls_score ``[B, C, H, W]`` logits; label ``[B, H, W]`` long with
        ``ignore_index`` (nodata) pixels left out; returns a scalar.
    """

    def __init__(self, smooth=1.0, loss_weight=1.0, loss_name='loss_dice'):
        super().__init__()
        self.smooth = smooth
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, cls_score, label, weight=None, ignore_index=255, **kwargs):
        if label.shape[-2:] != cls_score.shape[-2:]:
            raise ValueError(f'ClassMeanDiceLoss: logits {tuple(cls_score.shape)} and labels '
                             f'{tuple(label.shape)} differ in spatial size')
        prob, target = masked_probs_and_onehot(cls_score, label, ignore_index)
        inter = (prob * target).sum(dim=(0, 2, 3))
        total = prob.sum(dim=(0, 2, 3)) + target.sum(dim=(0, 2, 3))
        dice = (2 * inter + self.smooth) / (total + self.smooth)
        return self.loss_weight * (1.0 - dice.mean())

    @property
    def loss_name(self):
        return self._loss_name
