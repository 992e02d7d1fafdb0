"""Intra-class feature variation distillation (Wang et al., ECCV 2020)."""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmkd_rs.registry import MODELS

from .utils import match_size


def resize_labels(gt_seg: Tensor, size) -> Tensor:
    """Nearest resize of ``[N, H', W']`` labels to ``size`` (H, W), as integers."""
    if tuple(gt_seg.shape[-2:]) == tuple(size):
        return gt_seg.long()
    return F.interpolate(gt_seg[:, None].float(), size=tuple(size), mode='nearest')[:, 0].long()


def prototype_similarity(feat: Tensor, labels: Tensor, num_classes: int,
                         eps: float = 1e-6) -> Tensor:
    """Cosine similarity of each pixel's feature to its class prototype.

    The prototype of class ``k`` in image ``n`` is the mean feature of the
    pixels labelled ``k`` in that image.

    Args:
        feat (Tensor): features ``[N, C, H, W]``.
        labels (Tensor): ``[N, H, W]`` integer labels; values outside
            ``0 .. num_classes - 1`` (ignore) get no prototype.
        num_classes (int): number of classes.
        eps (float): added to the pixel count of a class.

    Returns:
        Tensor: ``[N, H, W]`` similarities (0 where the label is ignored).
    """
    n, c = feat.shape[:2]
    flat = feat.flatten(2)                                        # [N, C, HW]
    valid = (labels >= 0) & (labels < num_classes)
    index = torch.where(valid, labels, torch.zeros_like(labels)).flatten(1)  # [N, HW]
    onehot = F.one_hot(index, num_classes).to(feat.dtype)
    onehot = onehot * valid.flatten(1, 2)[..., None].to(feat.dtype)          # [N, HW, K]
    # averaging weights (not a sum then a division): no float16 overflow under AMP
    protos = flat @ (onehot / (onehot.sum(1, keepdim=True) + eps))          # [N, C, K]
    centre = torch.gather(protos, 2, index[:, None].expand(n, c, -1))        # [N, C, HW]
    sim = F.cosine_similarity(flat, centre, dim=1)                           # [N, HW]
    return (sim * valid.flatten(1)).view_as(labels)


@MODELS.register_module()
class IFVDLoss(nn.Module):
    """Match the student's intra-class feature variation map to the teacher's.

    For each network, ``M[n, p] = cos(f[n, :, p], proto[n, y(p)])`` where
    ``proto[n, k]`` is the mean feature of the pixels of class ``k`` in image
    ``n`` and ``y`` the labels resized (nearest) to the feature size;
    ``loss = loss_weight * mean_{labelled p} (M_S - M_T)^2``. Channel counts
    may differ; the teacher's features are resized bilinearly to the
    student's size. Gradients flow into the student's features (through the
    pixels and the prototypes), never into the teacher's.

    Args:
        num_classes (int): classes of the labels (``ignore_index`` and any
            other value outside ``0 .. num_classes - 1`` is left out).
        loss_weight (float): multiplier (the paper's code uses 200).
        ignore_index (int): label value of unlabelled pixels.
    """

    def __init__(self, num_classes: int, loss_weight: float = 1.0, ignore_index: int = 255):
        super().__init__()
        if num_classes < 1:
            raise ValueError(f'IFVDLoss: num_classes must be >= 1, got {num_classes}')
        self.num_classes = num_classes
        self.loss_weight = loss_weight
        self.ignore_index = ignore_index

    def forward(self, preds_S: Tensor, preds_T: Tensor, gt_seg: Tensor) -> Tensor:
        """
        Args:
            preds_S (Tensor): student features ``[N, Cs, H, W]``.
            preds_T (Tensor): teacher features ``[N, Ct, h, w]``.
            gt_seg (Tensor): labels ``[N, H', W']``.

        Returns:
            Tensor: scalar loss.
        """
        preds_T = match_size(preds_T.detach(), preds_S.shape[-2:])
        labels = resize_labels(gt_seg, preds_S.shape[-2:])
        labels = labels.masked_fill(labels == self.ignore_index, -1)
        valid = (labels >= 0) & (labels < self.num_classes)
        if not valid.any():
            return preds_S.sum() * 0.0
        sim_s = prototype_similarity(preds_S, labels, self.num_classes)
        sim_t = prototype_similarity(preds_T.to(preds_S.dtype), labels, self.num_classes)
        return self.loss_weight * (sim_s - sim_t)[valid].pow(2).mean()
