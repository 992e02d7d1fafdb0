"""DisOptNet stage 2: teacher-argmax loss values and the full loss set in training."""
import math
import os.path as osp

import pytest
import torch
from distill_testkit import batch, use_scope
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mmkd_rs.distill.losses import TeacherArgmaxSegLoss
from mmkd_rs.registry import MODELS

use_scope()
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
QUICK = ('configs/disoptnet/disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4_'
         '1xb8-quick_synth-spacenet6-sar-64x64.py')
CE = dict(type='CrossEntropyLoss', avg_non_ignore=True)


def test_teacher_argmax_loss_hand_computed():
    # pixel 0: student (0, 0), teacher says class 1 -> CE ln 2;
    # pixel 1: student (ln 3, 0), teacher says class 0 -> CE ln(4/3)
    s = torch.tensor([[[[0.0, math.log(3.0)]], [[0.0, 0.0]]]])  # [1, 2, 1, 2]
    t = torch.tensor([[[[0.0, 5.0]], [[1.0, -5.0]]]])
    loss = TeacherArgmaxSegLoss(seg_losses=CE, loss_weight=2.0)
    assert loss(s, t).item() == pytest.approx(2 * (math.log(2) + math.log(4 / 3)) / 2)
    # ground-truth ignore (255) removes pixel 0
    assert loss(s, t, gt_seg=torch.tensor([[[255, 0]]])).item() == \
        pytest.approx(2 * math.log(4 / 3))
    # teacher logits at a coarser size are resized; no gradient reaches them
    t_low = torch.tensor([[[[3.0]], [[0.0]]]], requires_grad=True)
    s_grad = s.clone().requires_grad_()
    TeacherArgmaxSegLoss(seg_losses=CE)(s_grad, t_low).backward()
    assert t_low.grad is None and s_grad.grad is not None
    with pytest.raises(ValueError, match='classes'):
        loss(s, torch.zeros(1, 3, 1, 2))


def test_zero_when_student_is_certain_of_the_teacher_argmax():
    t = torch.randn(2, 2, 4, 4)
    onehot = torch.nn.functional.one_hot(t.argmax(dim=1), 2).permute(0, 3, 1, 2).float()
    s = 100 * (2 * onehot - 1)
    assert TeacherArgmaxSegLoss(seg_losses=CE)(s, t).item() == pytest.approx(0.0, abs=1e-6)


@pytest.mark.slow
def test_quick_config_two_training_steps_with_all_stage2_losses():
    cfg = Config.fromfile(osp.join(REPO, QUICK))
    model_cfg = cfg.model.to_dict()
    model_cfg.update(allow_random_teacher=True, teacher_ckpt=None)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg).train()
    teacher = model.teachers['teacher']
    teacher_before = {k: v.clone() for k, v in teacher.state_dict().items()}
    seen = {}
    teacher.backbone.register_forward_pre_hook(
        lambda m, a: seen.__setitem__('teacher', a[0]))
    model.student.backbone.stem.register_forward_pre_hook(
        lambda m, a: seen.__setitem__('student', a[0]))
    optim = build_optim_wrapper(model, dict(type='OptimWrapper',
                                            optimizer=dict(type='SGD', lr=0.01)))
    expected = {'decode.loss_ce', 'decode.loss_dice', 'fuse.loss_ce', 'fuse.loss_dice',
                'distill.loss_aux_seg', 'distill.loss_aux_kd', 'distill.loss_feat_stage3',
                'distill.loss_feat_stage4', 'distill.loss_feat_decoder'}
    data = batch(n=2, size=64, channels=4, teacher_channels=4, seed=1)
    for step in range(2):
        log = model.train_step(data, optim)
        assert expected <= set(log), sorted(set(log))
        assert all(math.isfinite(log[k].item()) for k in expected), log
        assert log['distill.loss_feat_stage4'].item() > 0
        packed = model.data_preprocessor(data, True)
        assert torch.allclose(seen['teacher'], packed['teacher_inputs'])
        assert torch.allclose(seen['student'], packed['inputs'])
    # the frozen teacher did not move; predict gives the fused output
    for k, v in teacher.state_dict().items():
        assert torch.equal(v, teacher_before[k]), k
    model.eval()
    sar_only = model.data_preprocessor(batch(n=1, size=64, channels=4), False)
    with torch.no_grad():
        fused = model.student.forward_branches(sar_only['inputs'])['fused']
        pred = model(**sar_only, mode='predict')
    assert torch.allclose(pred[0].seg_logits.data[None],
                          torch.nn.functional.interpolate(fused, size=(64, 64),
                                                          mode='bilinear'), atol=1e-5)
