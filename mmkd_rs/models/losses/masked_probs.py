"""Softmax probabilities and one-hot labels with ignored pixels zeroed (shared by the
region losses)."""
from typing import Tuple

import torch.nn.functional as F
from torch import Tensor


def masked_probs_and_onehot(cls_score: Tensor, label: Tensor,
                            ignore_index: int) -> Tuple[Tensor, Tensor]:
    """``cls_score`` ``[B, C, H, W]`` logits, ``label`` ``[B, H, W]`` -> ``(p, g)``,
    both ``[B, C, H, W]``: ``softmax(logits)`` and the one-hot labels, each 0 at
    ``ignore_index`` pixels."""
    num_classes = cls_score.shape[1]
    valid = (label != ignore_index).unsqueeze(1).to(cls_score.dtype)
    target = F.one_hot(label.clamp(0, num_classes - 1).long(), num_classes)
    target = target.permute(0, 3, 1, 2).to(cls_score.dtype) * valid
    return cls_score.softmax(dim=1) * valid, target
