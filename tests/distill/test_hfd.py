"""HFD-Net: HFDLoss values, and EO teacher -> SAR student wiring on HFAM features."""
import math

import pytest
import torch
from distill_testkit import BN, batch, records_seen_by_losses, use_scope

from mmkd_rs.distill.losses import HFDLoss
from mmkd_rs.registry import MODELS

use_scope()


# ----------------------------------------------------------------- loss values
def test_mse_hand_computed_with_scale_weights():
    # 2 scales of 1 channel, 1x2 pixels: scale 0 diff (1, 3) -> mean 5;
    # scale 1 diff (2, 0) -> mean 2.
    s = torch.tensor([[[[1., 3.]], [[2., 0.]]]])  # [1, 2, 1, 2]
    t = torch.zeros_like(s)
    assert HFDLoss(num_scales=2)(s, t).item() == pytest.approx((5 + 2) / 2)
    weighted = HFDLoss(num_scales=2, scale_weights=[1.0, 0.5], loss_weight=2.0)
    assert weighted(s, t).item() == pytest.approx(2 * (1.0 * 5 + 0.5 * 2))
    # a sequence of per-scale maps (different sizes) gives the same as the split
    seq = HFDLoss(num_scales=2)([s[:, :1], s[:, 1:]], [t[:, :1], t[:, 1:]])
    assert seq.item() == pytest.approx(3.5)


def test_normalized_hand_computed():
    # pixel 0: s=(1,0), t=(0,1) -> ||e1-e2||^2 = 2; pixel 1: s=(3,0), t=(2,0) -> 0
    s = torch.tensor([[[[1., 3.]], [[0., 0.]]]])
    t = torch.tensor([[[[0., 2.]], [[1., 0.]]]])
    loss = HFDLoss(num_scales=1, distance='normalized')(s, t)
    assert loss.item() == pytest.approx(1.0)
    # insensitive to the magnitude of either feature
    assert HFDLoss(num_scales=1, distance='normalized')(5 * s, 0.1 * t).item() == \
        pytest.approx(1.0)


def test_attention_hand_computed():
    # teacher energy per pixel: (0, ln 3) -> softmax (1/4, 3/4) -> weights * 2 = (0.5, 1.5)
    t = torch.tensor([[[[0.0, math.log(3.0) ** 0.5]]]])  # energy t^2 = (0, ln 3)
    s = t + torch.tensor([[[[2.0, 1.0]]]])  # squared diffs (4, 1)
    loss = HFDLoss(num_scales=1, distance='attention')(s, t)
    assert loss.item() == pytest.approx((0.5 * 4 + 1.5 * 1) / 2, rel=1e-5)


@pytest.mark.parametrize('distance', ['mse', 'normalized', 'attention'])
def test_zero_for_identical_features(distance):
    x = torch.randn(2, 12, 5, 5)
    assert HFDLoss(num_scales=3, distance=distance)(x, x.clone()).item() == \
        pytest.approx(0.0, abs=1e-6)


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match='num_scales=4'):
        HFDLoss(num_scales=4)(torch.zeros(1, 6, 2, 2), torch.zeros(1, 6, 2, 2))
    with pytest.raises(ValueError, match='scale 0'):
        HFDLoss(num_scales=1)(torch.zeros(1, 4, 2, 2), torch.zeros(1, 4, 3, 3))
    with pytest.raises(ValueError, match='scale_weights'):
        HFDLoss(num_scales=2, scale_weights=[1.0])
    with pytest.raises(ValueError, match='distance'):
        HFDLoss(distance='l1')


# ------------------------------------------------------- distillation wiring
def hfam_segmentor(in_channels):
    """ResNetV1c-18 (width 8) + HFAM (16 ch, fused) + FCN, as configs/hfd at tiny size."""
    return dict(
        type='EncoderDecoder',
        backbone=dict(type='ResNetV1c', depth=18, in_channels=in_channels, stem_channels=8,
                      base_channels=8, num_stages=4, out_indices=(0, 1, 2, 3),
                      norm_cfg=BN, contract_dilation=True),
        neck=dict(type='HFAMNeck', in_channels=[8, 16, 32, 64], channels=16,
                  out_mode='fused', norm_cfg=BN),
        decode_head=dict(type='FCNHead', in_channels=16, channels=16, num_convs=1,
                         concat_input=False, dropout_ratio=0.0, num_classes=2,
                         norm_cfg=BN, align_corners=False,
                         loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
        train_cfg=dict(), test_cfg=dict(mode='whole'))


def hfd_model():
    aligned = dict(type='ModuleInputs', source='neck.fuse')
    return MODELS.build(dict(
        type='TeacherStudentDistill',
        data_preprocessor=dict(type='PairedModalityDataPreProcessor', mean=[0.] * 4,
                               std=[255.] * 4, teacher_mean=[0.] * 3, teacher_std=[255.] * 3,
                               size_divisor=32),
        student=hfam_segmentor(4), teacher=hfam_segmentor(3), allow_random_teacher=True,
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(hfam=aligned), teacher_recorders=dict(hfam=aligned),
            distill_losses=dict(loss_hfd=dict(type='HFDLoss', num_scales=4)),
            loss_forward_mappings=dict(loss_hfd=dict(
                preds_S=dict(from_student=True, recorder='hfam', data_idx=0),
                preds_T=dict(from_student=False, recorder='hfam', data_idx=0))))))


def test_teacher_reads_eo_student_reads_sar_and_only_student_learns():
    torch.manual_seed(0)
    model = hfd_model().train()
    seen = {}
    model.student.backbone.register_forward_pre_hook(
        lambda m, a: seen.__setitem__('student', a[0].shape[1]))
    model.teachers['teacher'].backbone.register_forward_pre_hook(
        lambda m, a: seen.__setitem__('teacher', a[0].shape[1]))
    data = model.data_preprocessor(batch(channels=4, teacher_channels=3), True)
    assert data['inputs'].shape[1] == 4 and data['teacher_inputs'].shape[1] == 3
    with records_seen_by_losses(model) as records:
        losses = model(**data, mode='loss')
    assert seen == dict(student=4, teacher=3)
    # the loss is HFDLoss on the recorded 4 x 16 aligned channels at 1/4 scale
    s = records.student['hfam'].get(data_idx=0)
    t = records.teachers['teacher']['hfam'].get(data_idx=0)
    assert s.shape == t.shape == (2, 64, 8, 8)
    assert torch.allclose(losses['distill.loss_hfd'], HFDLoss(num_scales=4)(s, t))
    assert losses['distill.loss_hfd'].item() > 0
    losses['distill.loss_hfd'].backward()
    student_grads = [p.grad for p in model.student.backbone.parameters()]
    assert all(g is not None for g in student_grads)
    assert sum(g.abs().sum() for g in student_grads) > 0
    assert all(p.grad is None and not p.requires_grad
               for p in model.teachers.parameters())


def test_sar_only_batch_predicts_without_teacher_inputs():
    model = hfd_model().eval()
    data = model.data_preprocessor(batch(channels=4), False)
    assert 'teacher_inputs' not in data
    preds = model(**data, mode='predict')
    assert preds[0].pred_sem_seg.data.shape == (1, 32, 32)
