"""Road models: GA hourglass, connectivity head, multitask segmentor, (D-)LinkNet."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmkd_rs  # noqa: F401
from mmkd_rs.models.backbones.dlinknet import DilatedCentreBlock
from mmkd_rs.models.backbones.hourglass import GAResidual, GlobalAwareLayer
from mmkd_rs.registry import MODELS

init_default_scope('mmkd_rs')


def _hourglass_cfg(**head):
    return ConfigDict(
        type='RoadMultitaskSegmentor',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0, 0, 0], std=[1, 1, 1],
                               size_divisor=32, seg_pad_val=255),
        backbone=dict(type='StackedHourglassGA', stem_channels=8, channels=16),
        decode_head=dict(type='RoadConnectivityHead', in_channels=16, channels=8, num_classes=2,
                         in_index=1, intermediate_logit_index=(2, 3),
                         loss_decode=dict(type='SoftIoULoss'),
                         loss_conn=dict(type='ClassBalancedCrossEntropyLoss'), **head),
        test_cfg=dict(mode='whole'))


def _samples(n=2, size=32, conn_size=None):
    out = []
    g = torch.Generator().manual_seed(0)
    for _ in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                        pad_shape=(size, size)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, 2, (1, size, size), generator=g))
        cs = conn_size or size
        s.set_data(dict(gt_conn_map=PixelData(data=torch.randint(0, 5, (1, cs, cs), generator=g))))
        out.append(s)
    return out


def test_global_aware_layer_matches_formula():
    torch.manual_seed(0)
    layer = GlobalAwareLayer(8, ratio=2)
    x = torch.randn(2, 8, 5, 5)
    gate = layer.fc(x.mean(dim=(2, 3)))[:, :, None, None]
    y = x * gate
    expected = y * torch.sigmoid(y.mean(dim=1, keepdim=True))
    torch.testing.assert_close(layer(x), expected)
    assert ((gate > 0) & (gate < 1)).all()


def test_hourglass_outputs_and_reinjection():
    torch.manual_seed(0)
    net = MODELS.build(dict(type='StackedHourglassGA', stem_channels=8, channels=16)).eval()
    x = torch.randn(1, 3, 64, 64)
    seen = {}
    net.hourglasses[1].register_forward_pre_hook(lambda m, a: seen.update(x1=a[0]))
    net.stem.register_forward_hook(lambda m, a, out: seen.update(x0=out))
    with torch.no_grad():
        outs = net(x)
        # two re-injection convs, as the public code: fc_(y) and score_(all 7 logits)
        expected = seen['x0'] + net.reinject_feat[0](outs[0]) + net.reinject_score[0](outs[2])
    assert [tuple(o.shape) for o in outs] == [(1, 16, 16, 16)] * 2 + [(1, 7, 16, 16)] * 2
    assert net.reinject_score[0].in_channels == 7 and len(net.reinject_score) == 1
    torch.testing.assert_close(seen['x1'], expected)
    # stack 2 sees stack 1's logits through the re-injection conv
    with torch.no_grad():
        net.reinject_score[0].weight[:, 2:].mul_(10)   # the connectivity columns
        outs2 = net(x)
    torch.testing.assert_close(outs2[0], outs[0])
    assert not torch.allclose(outs2[1], outs[1])


def test_ga_residual_is_a_basic_block_with_ga_before_the_sum():
    torch.manual_seed(0)
    for c_in, c_out in ((8, 8), (4, 8)):
        block = GAResidual(c_in, c_out).eval()
        x = torch.randn(2, c_in, 6, 6)
        conv1, bn1, _, conv2, bn2 = block.branch
        assert conv1.kernel_size == conv2.kernel_size == (3, 3)
        assert conv1.out_channels == conv2.in_channels == c_out   # no bottleneck width
        with torch.no_grad():
            branch = bn2(conv2(F.relu(bn1(conv1(x)))))
            skip = x if c_in == c_out else block.skip[1](block.skip[0](x))
            expected = F.relu(skip + block.ga(branch))
            torch.testing.assert_close(block(x), expected)


def test_intermediate_heads_are_3x3_per_task():
    torch.manual_seed(0)
    score = MODELS.build(dict(type='StackedHourglassGA', stem_channels=8,
                              channels=16)).score[0].eval()
    y = torch.randn(1, 16, 5, 5)
    y2 = y.clone()
    y2[0, :, 2, 2] += 1.0
    with torch.no_grad():
        diff = (score(y2) - score(y)).abs().amax(dim=1)[0]
        # a change at (2, 2) reaches its 3x3 neighbourhood only (a 1x1 head: the pixel only)
        assert (diff[1:4, 1:4] > 0).all() and diff[0].max() == 0 and diff[:, 4].max() == 0
        seg = score(y)[:, :2]
        score.heads[1][0].weight.mul_(3)                      # the connectivity head
        torch.testing.assert_close(score(y)[:, :2], seg)
    assert [h[0].out_channels for h in score.heads] == [4, 4]  # channels // 4


def test_soft_iou_hand_value():
    loss = MODELS.build(dict(type='SoftIoULoss', smooth=0.0))
    logits = torch.zeros(1, 2, 2, 2)              # p = 0.5 everywhere
    label = torch.tensor([[[1, 0], [0, 0]]])
    # road: 0.5 / (2 + 1 - 0.5) = 0.2; background: 1.5 / (2 + 3 - 1.5) = 3/7
    assert loss(logits, label).item() == pytest.approx(1 - (0.2 + 3 / 7) / 2)
    road_only = MODELS.build(dict(type='SoftIoULoss', smooth=0.0, classes=[1]))
    assert road_only(logits, label).item() == pytest.approx(0.8)
    ignored = torch.tensor([[[1, 0], [0, 255]]])  # one background pixel ignored
    assert road_only(logits, ignored).item() == pytest.approx(1 - 0.5 / (1.5 + 1 - 0.5))


def test_class_balanced_ce_hand_value():
    loss = MODELS.build(dict(type='ClassBalancedCrossEntropyLoss'))
    label = torch.tensor([[[0, 0, 1, 2]]])
    logits = torch.tensor([[[[2.0, 0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0, 0.0]],
                            [[0.0, 0.0, 3.0, 0.0]]]])
    w = [1 / math.log(1.02 + p) for p in (0.5, 0.25, 0.25)]
    ce = -F.log_softmax(logits, dim=1)[0, label[0, 0], 0, torch.arange(4)]
    weights = torch.tensor([w[0], w[0], w[1], w[2]])
    expected = (weights * ce).sum() / weights.sum()
    assert loss(logits, label).item() == pytest.approx(expected.item(), rel=1e-5)
    assert loss(logits, torch.full_like(label, 255)).item() == 0.0


def test_head_losses_flow_into_backbone_intermediate_logits():
    torch.manual_seed(0)
    model = MODELS.build(_hourglass_cfg())
    losses = model.loss(torch.randn(2, 3, 32, 32), _samples(conn_size=28))  # conn padded
    assert set(losses) == {'decode.loss_soft_iou', 'decode.loss_balanced_ce', 'decode.acc_seg'}
    (losses['decode.loss_soft_iou'] + losses['decode.loss_balanced_ce']).backward()
    for score in model.backbone.score:     # both stacks, both task heads
        assert all(head[-1].weight.grad.abs().sum() > 0 for head in score.heads)


def test_intermediate_weight_adds_stack_terms():
    torch.manual_seed(0)
    x, samples = torch.randn(2, 3, 32, 32), _samples()
    full = MODELS.build(_hourglass_cfg())
    final_only = MODELS.build(_hourglass_cfg(intermediate_loss_weight=0.0))
    final_only.load_state_dict(full.state_dict())
    a, b = full.loss(x, samples), final_only.loss(x, samples)
    # three terms (final + 2 stacks) vs one, each soft-IoU term in [0, 1]
    assert a['decode.loss_soft_iou'] > b['decode.loss_soft_iou'] + 0.5
    assert a['decode.loss_balanced_ce'] > b['decode.loss_balanced_ce']


def test_head_on_a_generic_backbone_builds_own_intermediate_classifiers():
    head = MODELS.build(dict(type='RoadConnectivityHead', in_channels=8, channels=8,
                             num_classes=2, in_index=1, upsample_factor=2,
                             intermediate_in_index=(0,), intermediate_in_channels=(4,),
                             loss_decode=dict(type='SoftIoULoss')))
    out = head.forward_multitask([torch.randn(1, 4, 8, 8), torch.randn(1, 8, 8, 8)])
    assert out['seg'].shape == (1, 2, 16, 16) and out['conn'].shape == (1, 5, 16, 16)
    (seg, conn), = out['intermediate']
    assert seg.shape == (1, 2, 8, 8) and conn.shape == (1, 5, 8, 8)
    with pytest.raises(ValueError, match='power of 2'):
        MODELS.build(dict(type='RoadConnectivityHead', in_channels=8, channels=8, num_classes=2,
                          upsample_factor=3))


def test_missing_connectivity_label_is_reported():
    model = MODELS.build(_hourglass_cfg())
    samples = _samples(2)
    del samples[1].gt_conn_map
    with pytest.raises(KeyError, match='gt_conn_map'):
        model.loss(torch.randn(2, 3, 32, 32), samples)


@pytest.mark.parametrize('mode', ['whole', 'slide'])
def test_segmentor_predicts_connectivity(mode):
    torch.manual_seed(0)
    cfg = _hourglass_cfg()
    cfg.test_cfg = dict(mode=mode, crop_size=(64, 64), stride=(32, 32))
    model = MODELS.build(cfg).eval()
    samples = [SegDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(60, 50),
                                           pad_shape=(64, 64), padding_size=[0, 14, 0, 4]))]
    with torch.no_grad():
        out = model.predict(torch.randn(1, 3, 64, 64), samples)[0]
        seg_only = model(torch.randn(1, 3, 64, 64), mode='tensor')
    assert out.pred_sem_seg.shape == (60, 50) and out.pred_conn.shape == (60, 50)
    assert out.conn_logits.data.shape == (5, 60, 50)
    assert out.pred_conn.data.max() <= 4
    torch.testing.assert_close(out.pred_conn.data[0], out.conn_logits.data.argmax(0))
    assert seg_only.shape == (1, 2, 64, 64)
    assert model.out_channels == 2      # restored after multitask inference


def test_segmentor_rejects_plain_head():
    cfg = _hourglass_cfg()
    cfg.decode_head = dict(type='FCNHead', in_channels=16, channels=16, num_convs=0,
                           concat_input=False, num_classes=2, in_index=1)
    with pytest.raises(TypeError, match='RoadConnectivityHead'):
        MODELS.build(cfg)


def test_dilated_centre_receptive_field_and_identity():
    block = DilatedCentreBlock(1, dilations=(1, 2, 4, 8))
    for conv in block.convs:
        torch.nn.init.constant_(conv.weight, 1.0)
        torch.nn.init.zeros_(conv.bias)
    x = torch.zeros(1, 1, 41, 41)
    x[0, 0, 20, 20] = 1.0
    support = (block(x)[0, 0] > 0).nonzero()
    # cascaded dilations 1+2+4+8: the impulse spreads 15 px each way
    assert support[:, 0].min() == 5 and support[:, 0].max() == 35
    for conv in block.convs:
        torch.nn.init.zeros_(conv.weight)
    torch.testing.assert_close(block(x), x)


@pytest.mark.slow
def test_dlinknet_and_linknet_shapes_and_sizes():
    student = MODELS.build(dict(
        type='LinkNet', encoder=dict(type='ResNet', depth=18, stem_channels=32, base_channels=32,
                                     out_indices=(0, 1, 2, 3)),
        encoder_channels=(32, 64, 128, 256), final_channels=16))
    teacher = MODELS.build(dict(type='DLinkNet'))
    outs = student(torch.randn(1, 3, 64, 64))
    assert [o.shape[1:] for o in outs] == [(128, 4, 4), (64, 8, 8), (32, 16, 16), (32, 32, 32),
                                          (16, 64, 64)]
    assert teacher(torch.randn(1, 3, 64, 64))[-1].shape == (1, 32, 64, 64)
    n_student = sum(p.numel() for p in student.parameters())
    n_teacher = sum(p.numel() for p in teacher.parameters())
    assert 2.5e6 < n_student < 3.5e6 and 30e6 < n_teacher < 32e6   # D-LinkNet-34: 31.1 M
    with pytest.raises(ValueError, match='4 encoder stages'):
        MODELS.build(dict(type='LinkNet', encoder_channels=(64, 128, 256)))
