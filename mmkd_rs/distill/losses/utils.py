"""Small tensor helpers shared by distill losses."""
from typing import Sequence

import torch.nn.functional as F
from torch import Tensor


def match_size(x: Tensor, size: Sequence[int]) -> Tensor:
    """Bilinearly resize ``[N, C, h, w]`` to ``size`` (H, W) if it differs."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=tuple(size), mode='bilinear', align_corners=False)


def check_same_shape(name: str, a: Tensor, b: Tensor, hint: str) -> None:
    """Raise a clear error if two tensors differ in shape."""
    if a.shape != b.shape:
        raise ValueError(f'{name}: student tensor {tuple(a.shape)} and teacher tensor '
                         f'{tuple(b.shape)} differ in shape; {hint}')
