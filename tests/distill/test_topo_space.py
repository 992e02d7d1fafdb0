"""TopologicalSpaceLoss: hand-computed values, gradients, feature network loading."""
import pytest
import torch
from torch import nn

import mmkd_rs  # noqa: F401
from mmkd_rs.distill.feature_net import FeatureNetCheckpointError
from mmkd_rs.engine.strict_loading import CheckpointMismatchError
from mmkd_rs.distill.losses.topo_space import TopologicalSpaceLoss
from mmkd_rs.distill.wiring import DistillConfigError

TINY_RESNET = dict(type='ResNet', depth=18, in_channels=3, stem_channels=8, base_channels=8,
                   out_indices=(0, 1))


class KnownNet(nn.Module):
    """1x1 conv 3 -> 2 without bias: channel 0 = sum of the inputs, channel 1 =
    2 x input 0. Returns depths (y, 2y)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 1, bias=False)
        with torch.no_grad():
            self.conv.weight.copy_(torch.tensor([[1., 1., 1.], [2., 0., 0.]])[:, :, None, None])
        for p in self.parameters():
            p.requires_grad_(False)
        self.eval()

    def forward(self, x):
        y = self.conv(x)
        return y, 2 * y


def _loss(**kwargs):
    loss = TopologicalSpaceLoss(feature_net=dict(teacher='teacher'), **kwargs)
    loss.bind_feature_net(KnownNet())
    return loss


def test_hand_computed_vs_ground_truth():
    # student p = 0.5 everywhere (logit 0); image = (p - 0.5) / 0.25 on 3 channels, so the
    # conv gives 12 (p - 0.5) and 8 (p - 0.5): per-pixel differences 12 d and 8 d, d = pa - pb.
    # Labels 0/1 give d^2 = 0.25; the ignored pixel is 0 in both maps (d = 0): mean d^2 = 3/16.
    # MSEs: depth 0: (144 + 64) / 2 * 3/16 = 19.5; depth 1 (x2): 78.
    # depth weights (1, 0.5): (19.5 + 0.5 * 78) / 1.5 = 39
    loss = _loss(depths=(0, 1), depth_weights=(1.0, 0.5), gt_weight=0.5, loss_weight=2.0)
    logits = torch.zeros(1, 1, 2, 2)
    gt = torch.tensor([[[1, 0], [255, 1]]])
    out = loss(logits, gt_seg=gt)
    assert set(out) == {'gt'}
    assert out['gt'].item() == pytest.approx(39.0 * 0.5 * 2.0, rel=1e-6)


def test_widths_are_input_scales_and_change_the_loss():
    # labels: 1 px wide vertical roads (columns 0, 2) vs a student at p = 0.5: d^2 = 0.25,
    # MSE at depth 0 = (144 + 64) / 2 * 0.25 = 26 at scale 1. Halved bilinearly, every
    # output pixel averages one road and one background column: both maps are 0.5, MSE 0.
    gt = torch.tensor([[1, 0, 1, 0]] * 4)[None]
    logits = torch.zeros(1, 1, 4, 4)
    values = {scales: _loss(depths=(0, ), scales=scales)(logits, gt_seg=gt)['gt'].item()
              for scales in ((1.0, ), (0.5, ), (1.0, 0.5))}
    assert values[(1.0, )] == pytest.approx(26.0, rel=1e-6)
    assert values[(0.5, )] == pytest.approx(0.0, abs=1e-6)
    assert values[(1.0, 0.5)] == pytest.approx(13.0, rel=1e-6)  # two widths, equal weights


def test_hand_computed_vs_teacher_two_class_logits_and_scales():
    # teacher p = softmax([0, ln 4])[1] = 0.8, student p = 0.5: d^2 = 0.09 everywhere.
    # one group per depth 0: MSE = (144 + 64) / 2 * 0.09 = 9.36, equal at every scale.
    loss = _loss(depths=(0, ), scales=(1.0, 0.5), scale_weights=(1.0, 2.0))
    student = torch.zeros(2, 2, 4, 4)
    teacher = torch.stack([torch.zeros(2, 2, 2), torch.full((2, 2, 2), 4.).log()], 1)
    out = loss(student, preds_T=teacher)  # teacher 2x2 is resized to 4x4
    assert set(out) == {'teacher'}
    assert out['teacher'].item() == pytest.approx(9.36, rel=1e-5)


def test_scales_change_the_input_size_of_the_feature_net():
    seen = []
    net = KnownNet()
    net.register_forward_hook(lambda m, args, out: seen.append(tuple(args[0].shape[-2:])))
    loss = TopologicalSpaceLoss(feature_net=dict(teacher='t'), depths=(0, ), scales=(1.0, 0.5))
    loss.bind_feature_net(net)
    loss(torch.randn(1, 2, 8, 8), preds_T=torch.randn(1, 2, 8, 8))
    assert seen == [(8, 8), (8, 8), (4, 4), (4, 4)]  # student, then target, per scale


def test_identical_maps_give_zero_and_gt_and_teacher_share_the_student_pass():
    loss = _loss(depths=(0, 1), scales=(1.0, 0.5))
    logits = torch.randn(2, 2, 6, 6)
    gt = torch.randint(0, 2, (2, 6, 6))
    out = loss(logits, preds_T=logits.clone(), gt_seg=gt)
    assert out['teacher'].item() == 0.0
    assert out['gt'].item() > 0.0


def test_gradients_reach_student_but_not_feature_net_or_teacher():
    net = KnownNet()
    loss = TopologicalSpaceLoss(feature_net=dict(teacher='t'), depths=(0, 1))
    loss.bind_feature_net(net)
    student = torch.randn(2, 2, 8, 8, requires_grad=True)
    teacher = torch.randn(2, 2, 8, 8, requires_grad=True)
    out = loss(student, preds_T=teacher, gt_seg=torch.randint(0, 2, (2, 8, 8)))
    (out['gt'] + out['teacher']).backward()
    assert student.grad is not None and student.grad.abs().sum() > 0
    assert teacher.grad is None
    assert net.conv.weight.grad is None and not net.conv.weight.requires_grad


def test_feature_net_is_not_a_parameter_or_state_of_the_loss():
    loss = TopologicalSpaceLoss(feature_net=dict(cfg=TINY_RESNET, allow_random=True),
                                depths=(0, 1))
    assert list(loss.parameters()) == [] and loss.state_dict() == {}
    assert all(not p.requires_grad for p in loss.feature_net.parameters())
    loss.train()
    assert not loss.feature_net.training
    student = torch.randn(1, 2, 32, 32, requires_grad=True)
    loss(student, gt_seg=torch.randint(0, 2, (1, 32, 32)))['gt'].backward()
    assert student.grad.abs().sum() > 0
    assert all(p.grad is None for p in loss.feature_net.parameters())


def test_feature_net_checkpoint_loads_strictly(tmp_path):
    from mmkd_rs.registry import MODELS
    source = MODELS.build(TINY_RESNET)
    state = source.state_dict()
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=state), good)
    loss = TopologicalSpaceLoss(feature_net=dict(cfg=TINY_RESNET, ckpt=str(good)))
    key = 'layer1.0.conv1.weight'
    assert torch.equal(loss.feature_net.state_dict()[key], state[key])

    extra = tmp_path / 'extra.pth'
    torch.save(dict(state, **{'head.weight': torch.zeros(1)}), extra)
    with pytest.raises(CheckpointMismatchError, match=r'not in the model: 1 \(e.g. head.weight'):
        TopologicalSpaceLoss(feature_net=dict(cfg=TINY_RESNET, ckpt=str(extra)))
    missing = tmp_path / 'missing.pth'
    torch.save({k: v for k, v in state.items() if k != key}, missing)
    with pytest.raises(CheckpointMismatchError, match=r'missing from it: 1 \(e.g. layer1.0.conv1'):
        TopologicalSpaceLoss(feature_net=dict(cfg=TINY_RESNET, ckpt=str(missing)))
    with pytest.raises(FeatureNetCheckpointError, match='does not exist'):
        TopologicalSpaceLoss(feature_net=dict(cfg=TINY_RESNET, ckpt=str(tmp_path / 'no.pth')))
    with pytest.raises(FeatureNetCheckpointError, match='allow_random=True'):
        TopologicalSpaceLoss(feature_net=dict(cfg=TINY_RESNET))


def test_feature_net_submodule_of_a_checkpointed_model(tmp_path):
    from mmkd_rs.registry import MODELS
    wrapper_cfg = dict(type='LinkNet', encoder=TINY_RESNET.copy(), encoder_channels=(8, 16, 32, 64),
                       final_channels=8)
    wrapper_cfg['encoder']['out_indices'] = (0, 1, 2, 3)
    model = MODELS.build(wrapper_cfg)
    ckpt = tmp_path / 'linknet.pth'
    torch.save(model.state_dict(), ckpt)
    loss = TopologicalSpaceLoss(feature_net=dict(cfg=wrapper_cfg, ckpt=str(ckpt),
                                                 module='encoder'), depths=(0, 3))
    assert type(loss.feature_net).__name__ == 'ResNet'
    with pytest.raises(DistillConfigError, match='encoderr'):
        TopologicalSpaceLoss(feature_net=dict(cfg=wrapper_cfg, ckpt=str(ckpt), module='encoderr'))


def test_clear_errors():
    with pytest.raises(DistillConfigError, match='never bound'):
        TopologicalSpaceLoss()(torch.randn(1, 2, 4, 4), gt_seg=torch.zeros(1, 4, 4).long())
    with pytest.raises(DistillConfigError, match='neither'):
        _loss()(torch.randn(1, 2, 4, 4))
    with pytest.raises(DistillConfigError, match='returns 2 map'):
        _loss(depths=(2, ))(torch.randn(1, 2, 4, 4), preds_T=torch.randn(1, 2, 4, 4))
    with pytest.raises(TypeError, match='channel_groups'):  # removed: it added no axis
        _loss(channel_groups=4)
    with pytest.raises(ValueError, match='integer labels'):
        _loss()(torch.randn(1, 2, 4, 4), gt_seg=torch.rand(1, 4, 4))
    with pytest.raises(ValueError, match='depth_weights must be 2'):
        TopologicalSpaceLoss(feature_net=dict(teacher='t'), depths=(0, 1), depth_weights=(1., ))
    with pytest.raises(DistillConfigError, match="exactly one of 'teacher'"):
        TopologicalSpaceLoss(feature_net=dict(module='backbone'))
    with pytest.raises(DistillConfigError, match='unknown feature_net key'):
        TopologicalSpaceLoss(feature_net=dict(teacher='t', ckpt='x.pth'))
