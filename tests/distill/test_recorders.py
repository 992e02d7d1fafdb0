"""Recorder lifetime: recorded tensors die with the step, patched functions are restored."""
import copy
import gc
import importlib
import weakref

import pytest
import torch
from distill_testkit import batch, kd_distiller, kd_model_cfg, records_seen_by_losses, use_scope

from mmkd_rs.registry import MODELS

use_scope()

RESIZE = 'mmseg.models.decode_heads.decode_head.resize'
decode_head_module = importlib.import_module(RESIZE.rpartition('.')[0])


def test_recordings_are_dropped_once_the_distill_losses_are_computed():
    model = MODELS.build(kd_model_cfg())
    alive = {}
    model.teachers['teacher'].decode_head.conv_seg.register_forward_hook(
        lambda m, a, out: alive.__setitem__('teacher', weakref.ref(out)))
    model.student.decode_head.conv_seg.register_forward_hook(
        lambda m, a, out: alive.__setitem__('student', weakref.ref(out)))
    losses = model(**model.data_preprocessor(batch(), True), mode='loss')
    groups = [model.distiller.student_group, *model.distiller.teacher_groups.values()]
    assert all(not rec.data for g in groups for rec in g.recorders.values())
    # the teacher logits (no graph) were held by the recorder only: freed now
    gc.collect()
    assert alive['teacher']() is None
    # what the student recorded lives at most as long as the loss graph
    model.parse_losses(losses)[0].backward()
    del losses
    gc.collect()
    assert alive['student']() is None


def test_recordings_are_dropped_when_a_distill_loss_fails():
    cfg = kd_distiller()
    cfg['distill_losses']['loss_kd'] = dict(type='FitNetLoss')    # [2, 2] vs [2, 64] maps
    cfg['student_recorders']['logits']['source'] = 'backbone.layer4'
    model = MODELS.build(kd_model_cfg(distiller=cfg))
    with pytest.raises(ValueError, match='loss_kd'):
        model(**model.data_preprocessor(batch(), True), mode='loss')
    assert not model.distiller.student_group['logits'].data
    assert not model.distiller.teacher_groups['teacher']['logits'].data


def function_recorder_model(names=('up',)):
    cfg = kd_distiller()
    for name in names:
        cfg['student_recorders'][name] = dict(type='FunctionOutputs', source=RESIZE)
    return MODELS.build(kd_model_cfg(distiller=cfg))


def test_function_recorder_patches_only_while_recording():
    original = decode_head_module.resize
    model = function_recorder_model(('up', 'up_again'))
    assert decode_head_module.resize is original        # building patches nothing
    group = model.distiller.student_group
    with group.recording():
        assert decode_head_module.resize is not original
        model.student(torch.zeros(1, 3, 32, 32), mode='tensor')
        out = decode_head_module.resize(torch.ones(1, 1, 2, 2), size=(4, 4))
    assert decode_head_module.resize is original
    # both recorders of the same function saw the call, in order
    assert len(group['up'].data) == len(group['up_again'].data) >= 1
    assert torch.equal(group['up'].data[-1], out) and out.shape == (1, 1, 4, 4)
    # restored also when the forward raises
    with pytest.raises(RuntimeError, match='boom'), group.recording():
        raise RuntimeError('boom')
    assert decode_head_module.resize is original
    with records_seen_by_losses(model) as seen:
        model(**model.data_preprocessor(batch(), True), mode='loss')
    assert decode_head_module.resize is original
    assert seen.student['up'].get().shape == (2, 2, 32, 32)   # logits upsampled for the CE


def test_no_recorder_outlives_its_model():
    original = decode_head_module.resize
    model = function_recorder_model()
    model(**model.data_preprocessor(batch(), True), mode='loss')
    copy.deepcopy(model)                                # e.g. an EMA copy
    recorder = weakref.ref(model.distiller.student_group['up'])
    del model
    gc.collect()
    assert recorder() is None
    assert decode_head_module.resize is original
