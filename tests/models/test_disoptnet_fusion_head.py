"""DisOptNet fusion head (scSE on both decoder outputs, concat, 1x1)."""
import torch

from mmkd_rs.models.heads import SCSEBlock
from mmkd_rs.registry import MODELS


def test_scse_matches_hand_computed_values():
    # cSE: pool -> 1x1 [1, 1] -> ReLU -> 1x1 [1, -1] -> sigmoid; sSE: 1x1 [1, 0] -> sigmoid
    block = SCSEBlock(2, reduction=2)
    with torch.no_grad():
        for conv, weight in ((block.channel_gate[1], [[1.0, 1.0]]),
                             (block.channel_gate[3], [[1.0], [-1.0]]),
                             (block.spatial_gate[0], [[1.0, 0.0]])):
            conv.weight.copy_(torch.tensor(weight).view_as(conv.weight))
            conv.bias.zero_()
    x = torch.tensor([[[[1.0, 3.0]], [[0.0, 2.0]]]])      # [1, 2, 1, 2], means 2 and 1
    sig = torch.sigmoid
    # channel gates sigmoid(+-relu(2 + 1)); spatial gates sigmoid(x[0]) = sigmoid(1), sigmoid(3)
    expected = torch.tensor([[[[sig(torch.tensor(3.)) + sig(torch.tensor(1.)),
                                6 * sig(torch.tensor(3.))]],
                              [[0.0, 2 * sig(torch.tensor(-3.)) + 2 * sig(torch.tensor(3.))]]]])
    assert torch.allclose(block(x), expected)
    assert torch.allclose(block(x)[0, 1, 0, 1], torch.tensor(2.0))   # sigma(-3) + sigma(3) = 1


def test_fusion_head_shapes_resize_and_gradients():
    head = MODELS.build(dict(type='DisOptNetFusionHead', in_channels=(8, 6),
                             num_classes=2))
    sar = torch.randn(2, 8, 16, 16, requires_grad=True)
    aux = torch.randn(2, 6, 8, 8, requires_grad=True)
    logits = head(sar, aux)
    assert logits.shape == (2, 2, 16, 16)
    logits.sum().backward()
    assert sar.grad.abs().sum() > 0 and aux.grad.abs().sum() > 0
    # a smaller distillation-branch output is resized bilinearly to the SAR one
    up = torch.nn.functional.interpolate(aux, size=(16, 16), mode='bilinear',
                                         align_corners=False)
    assert torch.allclose(head(sar, aux), head(sar, up))
