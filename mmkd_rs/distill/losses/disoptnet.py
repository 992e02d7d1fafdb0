"""DisOptNet: segmentation loss of the distillation branch on the teacher's argmax."""
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import match_size


@MODELS.register_module()
class TeacherArgmaxSegLoss(nn.Module):
    """Segmentation losses of student logits against the teacher's hard labels.

    ``pseudo = argmax_c preds_T`` (teacher logits resized bilinearly to the
    student's size); pixels whose ground truth is ``ignore_index`` (e.g. SAR
    nodata) are ignored when ``gt_seg`` is given. ``loss = loss_weight *
    sum_l seg_loss_l(preds_S, pseudo)`` with mmseg losses (DisOptNet: CE +
    Dice, as for its other outputs).

    Args:
        seg_losses (dict | list[dict]): mmseg loss configs.
        ignore_index (int): ignored label value.
        loss_weight (float): multiplier of the summed losses.
    """

    def __init__(self,
                 seg_losses: Union[dict, Sequence[dict]] = dict(type='CrossEntropyLoss'),
                 ignore_index: int = 255, loss_weight: float = 1.0):
        super().__init__()
        cfgs = [seg_losses] if isinstance(seg_losses, dict) else list(seg_losses)
        if not cfgs:
            raise ValueError('TeacherArgmaxSegLoss: seg_losses is empty')
        self.seg_losses = nn.ModuleList(MODELS.build(c) for c in cfgs)
        self.ignore_index = ignore_index
        self.loss_weight = loss_weight

    def forward(self, preds_S: Tensor, preds_T: Tensor,
                gt_seg: Optional[Tensor] = None) -> Tensor:
        """
        Args:
            preds_S (Tensor): student logits ``[N, K, H, W]``.
            preds_T (Tensor): teacher logits ``[N, K, h, w]``.
            gt_seg (Tensor, optional): labels ``[N, H', W']`` (resized by
                nearest neighbour) marking ignored pixels.

        Returns:
            Tensor: scalar loss.
        """
        if preds_S.shape[1] != preds_T.shape[1]:
            raise ValueError(f'TeacherArgmaxSegLoss: student has {preds_S.shape[1]} classes, '
                             f'teacher {preds_T.shape[1]}')
        with torch.no_grad():
            pseudo = match_size(preds_T.detach(), preds_S.shape[-2:]).argmax(dim=1)
            if gt_seg is not None:
                gt = F.interpolate(gt_seg[:, None].float(), size=pseudo.shape[-2:],
                                   mode='nearest')[:, 0]
                pseudo[gt == self.ignore_index] = self.ignore_index
        total = sum(loss(preds_S, pseudo, ignore_index=self.ignore_index)
                    for loss in self.seg_losses)
        return self.loss_weight * total
