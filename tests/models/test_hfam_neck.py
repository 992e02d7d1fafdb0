"""HFAM neck and its flow-guided upsampling."""
import pytest
import torch
import torch.nn.functional as F

from mmkd_rs.models.necks import FlowAlignUpsample, HFAMNeck
from mmkd_rs.models.necks.flow_align import warp


def test_zero_flow_is_plain_bilinear_upsampling():
    deep = torch.randn(2, 5, 4, 6, dtype=torch.float64)
    shallow = torch.randn(2, 5, 9, 13, dtype=torch.float64)
    align = FlowAlignUpsample(5).double()
    align.init_weights()
    out = align(deep, shallow)
    ref = F.interpolate(deep, size=(9, 13), mode='bilinear',
                        align_corners=False)
    assert torch.allclose(out, ref, atol=1e-12, rtol=0)


def test_flow_moves_samples_by_whole_pixels():
    feat = torch.arange(16.).view(1, 1, 4, 4)
    flow = torch.zeros(1, 2, 4, 4)
    flow[:, 0] = 1.0  # sample one pixel to the right
    out = warp(feat, flow)
    assert torch.allclose(out[0, 0, :, :3], feat[0, 0, :, 1:])
    assert torch.allclose(out[0, 0, :, 3], feat[0, 0, :, 3])  # border clamp


@pytest.mark.parametrize('mode', ['fused', 'pyramid'])
def test_hfam_shapes_and_gradients(mode):
    torch.manual_seed(0)
    neck = HFAMNeck([8, 16, 32], channels=12, out_mode=mode)
    neck.init_weights()
    feats = [torch.randn(2, c, 16 // 2 ** i, 16 // 2 ** i, requires_grad=True)
             for i, c in enumerate([8, 16, 32])]
    out = neck(feats)
    if mode == 'fused':
        assert len(out) == 1 and out[0].shape == (2, 12, 16, 16)
    else:
        assert [o.shape[-1] for o in out] == [16, 8, 4]
    sum(o.square().mean() for o in out).backward()
    assert all(f.grad is not None and f.grad.abs().sum() > 0 for f in feats)
    # the flow convolutions receive gradient too (they can learn alignment)
    flow_grads = [m.flow.weight.grad for m in neck.modules()
                  if isinstance(m, FlowAlignUpsample)]
    assert flow_grads and all(g.abs().sum() > 0 for g in flow_grads)


def test_hfam_in_index_and_errors():
    neck = HFAMNeck([8, 16, 32, 64], channels=8, in_index=[1, 3])
    feats = [torch.randn(1, c, 32 // 2 ** i, 32 // 2 ** i)
             for i, c in enumerate([8, 16, 32, 64])]
    assert neck(feats)[0].shape == (1, 8, 16, 16)
    with pytest.raises(ValueError, match='gave 2 feature maps'):
        neck(feats[:2])
    with pytest.raises(ValueError, match='out_mode'):
        HFAMNeck([8], out_mode='sum')


def test_learned_flow_is_bounded_by_max_flow():
    align = FlowAlignUpsample(3, max_flow=1.5)
    torch.nn.init.constant_(align.flow.bias, 100.0)  # a huge raw flow
    deep = torch.arange(64.).view(1, 1, 8, 8).repeat(1, 3, 1, 1)
    shallow = torch.zeros(1, 3, 16, 16)
    out = align(deep, shallow)
    # raw flow +100 px clamps to +1.5 px on the 16 x 16 grid (0.75 px on 8 x 8)
    ref = warp(deep, torch.full((1, 2, 16, 16), 1.5))
    assert torch.allclose(out, ref, atol=1e-4)
