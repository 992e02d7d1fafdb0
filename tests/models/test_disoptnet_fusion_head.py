"""DisOptNet fusion head (scSE on both decoder outputs, concat, 1x1)."""
import torch

from mmkd_rs.models.heads import DisOptNetFusionHead, SCSEBlock
from mmkd_rs.registry import MODELS


def test_scse_matches_hand_formula():
    torch.manual_seed(0)
    block = SCSEBlock(4, reduction=2)
    x = torch.randn(2, 4, 5, 5)
    c = block.channel_gate(x)
    s = torch.sigmoid(block.spatial_gate[0](x))
    assert c.shape == (2, 4, 1, 1) and s.shape == (2, 1, 5, 5)
    assert torch.allclose(block(x), x * c + x * s)


def test_fusion_head_shapes_resize_and_gradients():
    head = MODELS.build(dict(type='DisOptNetFusionHead', in_channels=(8, 6),
                             num_classes=2))
    sar = torch.randn(2, 8, 16, 16, requires_grad=True)
    aux = torch.randn(2, 6, 8, 8, requires_grad=True)
    logits = head(sar, aux)
    assert logits.shape == (2, 2, 16, 16)
    logits.sum().backward()
    assert sar.grad.abs().sum() > 0 and aux.grad.abs().sum() > 0
    assert isinstance(head, DisOptNetFusionHead)
