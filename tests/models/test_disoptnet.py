"""DisOptNet SAR network: shared early stages, two branches, fused output only."""
import copy

import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmkd_rs  # noqa: F401
from mmkd_rs.registry import MODELS

if not DefaultScope.check_instance_created('mmkd_rs_disoptnet_tests'):
    DefaultScope.get_instance('mmkd_rs_disoptnet_tests', scope_name='mmkd_rs')

BN = dict(type='BN', requires_grad=True)
HEAD = dict(type='DepthwiseSeparableASPPHead', in_channels=64, in_index=3, channels=16,
            dilations=(1, 2), c1_in_channels=8, c1_channels=4, dropout_ratio=0.0,
            num_classes=2, norm_cfg=BN, align_corners=False,
            loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0))


def disoptnet_cfg(**overrides):
    cfg = dict(
        type='DisOptNet',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0.] * 4, std=[1.] * 4,
                               size_divisor=32, seg_pad_val=255),
        backbone=dict(type='ResNetV1c', depth=18, in_channels=4, stem_channels=8,
                      base_channels=8, num_stages=4, out_indices=(0, 1, 2, 3),
                      dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1), norm_cfg=BN,
                      contract_dilation=True),
        num_shared_stages=2, decode_head=HEAD, distill_head=HEAD,
        fusion_head=dict(type='DisOptNetFusionHead', in_channels=16, num_classes=2),
        loss_fuse=[dict(type='CrossEntropyLoss', loss_weight=1.0),
                   dict(type='DiceLoss', loss_weight=1.0)],
        train_cfg=dict(), test_cfg=dict(mode='whole'))
    cfg.update(overrides)
    return copy.deepcopy(cfg)


def samples(n=2, size=32):
    out = []
    for i in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                        pad_shape=(size, size)))
        label = torch.zeros(1, size, size, dtype=torch.long)
        label[:, :, size // 2:] = 1
        s.gt_sem_seg = PixelData(data=label)
        out.append(s)
    return out


def grads(module):
    return [p.grad for p in module.parameters()]


def test_shared_stages_get_gradients_from_both_branches():
    torch.manual_seed(0)
    model = MODELS.build(disoptnet_cfg()).train()
    x = torch.randn(2, 4, 32, 32)
    shared = [model.backbone.stem, model.backbone.layer1, model.backbone.layer2]
    for branch, own, other in (('sar', model.backbone.layer3, model.distill_stages.layer3),
                               ('aux', model.distill_stages.layer3, model.backbone.layer3)):
        model.zero_grad(set_to_none=True)
        model.forward_branches(x)[branch].pow(2).mean().backward()
        for module in shared:
            assert all(g is not None and g.abs().sum() > 0 for g in grads(module)[:1]), branch
        assert all(g is not None for g in grads(own))
        assert all(g is None for g in grads(other)), f'{branch} reached the other branch'
    # the shared stages are one set of weights, not copies
    assert not any(p is q for p in model.distill_stages.parameters()
                   for q in model.backbone.layer3.parameters())
    assert model.distill_stages.names == ['layer3', 'layer4']
    # initialised like the backbone (Kaiming normal, fan_out: std sqrt(2 / 576) = 0.059
    # for these 64 -> 64 3x3 convs), not left at torch's default (std 0.024)
    conv = model.distill_stages.layer4[0].conv2.weight
    assert conv.std() < 0.03
    model.init_weights()
    assert 0.05 < conv.std() < 0.07


def test_predict_and_tensor_give_the_fused_output_only():
    torch.manual_seed(0)
    model = MODELS.build(disoptnet_cfg()).eval()
    x = torch.randn(2, 4, 32, 32)
    with torch.no_grad():
        out = model.forward_branches(x)
        tensor = model(x, mode='tensor')
        assert torch.equal(tensor, out['fused'])
        pred = model(x, samples(), mode='predict')
        seg_logits = torch.stack([p.seg_logits.data for p in pred])
        expected = torch.nn.functional.interpolate(out['fused'], size=(32, 32),
                                                   mode='bilinear', align_corners=False)
        assert torch.allclose(seg_logits, expected, atol=1e-6)
        # the branch classifiers do not take part in inference ...
        for head in (model.decode_head, model.distill_head):
            head.conv_seg.weight.add_(5.0)
        assert torch.equal(model(x, mode='tensor'), tensor)
        # ... the fusion classifier does
        model.fusion_head.classifier.bias.copy_(torch.tensor([-100.0, 100.0]))
        pred = model(x, samples(), mode='predict')
        assert all(bool((p.pred_sem_seg.data == 1).all()) for p in pred)


def test_loss_has_sar_and_fused_terms():
    torch.manual_seed(0)
    model = MODELS.build(disoptnet_cfg()).train()
    losses = model(torch.randn(2, 4, 32, 32), samples(), mode='loss')
    assert {'decode.loss_ce', 'fuse.loss_ce', 'fuse.loss_dice', 'fuse.acc_seg'} <= set(losses)
    assert all(torch.isfinite(v).all() for v in losses.values())
    # fused term is CE of the fused logits against the labels
    model.eval()
    with torch.no_grad():
        fused = model.forward_branches(torch.zeros(1, 4, 32, 32))['fused']
    assert fused.shape == (1, 2, 8, 8)


def test_bad_configs_are_explained():
    with pytest.raises(ValueError, match='num_shared_stages'):
        MODELS.build(disoptnet_cfg(num_shared_stages=4))
    with pytest.raises(ValueError, match='dropout_ratio=0'):
        MODELS.build(disoptnet_cfg(distill_head=dict(HEAD, dropout_ratio=0.1)))
