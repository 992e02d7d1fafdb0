"""Frozen teachers stay out of the optimizer; student-only configs are unaffected."""
import os.path as osp

import pytest
from distill_testkit import kd_model_cfg, use_scope
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mmkd_rs.registry import MODELS

use_scope()
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KD = ('configs/disoptnet/disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4_'
      '1xb8-quick_synth-spacenet6-sar-64x64.py')
STUDENT = ('configs/disoptnet/'
           'deeplabv3plus_r18-d16_1xb8-quick_synth-spacenet6-sar-64x64.py')


def build_from(config):
    cfg = Config.fromfile(osp.join(REPO, config))
    model_cfg = cfg.model.to_dict()
    if model_cfg['type'] == 'TeacherStudentDistill':
        model_cfg.update(allow_random_teacher=True, teacher_ckpt=None)
    return MODELS.build(model_cfg), cfg.optim_wrapper.to_dict()


def optimizer_params(model, optim_wrapper_cfg):
    optimizer = build_optim_wrapper(model, optim_wrapper_cfg).optimizer
    return [p for group in optimizer.param_groups for p in group['params']]


def numel(params):
    return sum(p.numel() for p in params)


@pytest.mark.parametrize('paramwise_cfg', [None, dict(norm_decay_mult=0.0)])
def test_distillation_config_optimizer_holds_student_and_distiller_only(paramwise_cfg):
    model, optim_cfg = build_from(KD)
    if paramwise_cfg is not None:          # mmengine's other path: add_params per module
        optim_cfg['paramwise_cfg'] = paramwise_cfg
    params = optimizer_params(model, optim_cfg)
    teacher = {id(p) for p in model.teachers.parameters()}
    assert len(teacher) == 110 and numel(model.teachers.parameters()) == 11_573_534
    assert not any(id(p) in teacher for p in params)
    trained = list(model.student.parameters()) + list(model.distiller.parameters())
    assert [id(p) for p in params] == [id(p) for p in trained]
    assert len(params) == 198 and numel(params) == 22_449_120
    assert all(p.requires_grad for p in params)


def test_student_only_config_optimizer_is_unaffected():
    model, optim_cfg = build_from(STUDENT)
    params = optimizer_params(model, optim_cfg)
    assert [id(p) for p in params] == [id(p) for p in model.parameters()]
    assert len(params) == 110 and numel(params) == 11_573_534


def test_teachers_stay_frozen_owned_and_saved():
    model = MODELS.build(kd_model_cfg(save_teacher_weights=True))
    names = [n for n, _ in model.named_parameters()]
    assert names and not any(n.startswith('teachers.') for n in names)
    assert any(n.startswith('student.') for n in names)
    # prefixes as a parent module would pass them
    assert not any('teachers.' in n for n, _ in model.named_parameters(prefix='module'))
    model.requires_grad_(True)             # cannot unfreeze the teachers by accident
    assert all(not p.requires_grad for p in model.teachers.parameters())
    assert any(k.startswith('teachers.teacher.') for k in model.state_dict())
