"""TeacherStudentDistill: losses, modes, frozen teachers, multi-teacher, paired inputs."""
import copy

import pytest
import torch
from distill_testkit import (batch, kd_distiller, kd_model_cfg, records_seen_by_losses,
                             tiny_segmentor, use_scope)
from mmengine.optim import build_optim_wrapper

from mmkd_rs.distill.losses import KDLoss
from mmkd_rs.registry import MODELS

use_scope()


def build(**overrides):
    return MODELS.build(kd_model_cfg(**overrides))


def fitnet_kd_distiller():
    cfg = kd_distiller()
    cfg['student_recorders']['feat'] = dict(type='ModuleOutputs', source='backbone.layer4')
    cfg['teacher_recorders']['feat'] = dict(type='ModuleOutputs', source='backbone.layer4')
    cfg['connectors'] = dict(s2t=dict(type='ConvBNConnector', in_channels=64,
                                      out_channels=128))
    cfg['distill_losses']['hint'] = dict(type='FitNetLoss', loss_weight=2.0)
    cfg['loss_forward_mappings']['hint'] = dict(
        preds_S=dict(from_student=True, recorder='feat', connector='s2t'),
        preds_T=dict(from_student=False, recorder='feat'))
    return cfg


def test_loss_keys_all_summed_and_modes():
    model = build(distiller=fitnet_kd_distiller())
    data = model.data_preprocessor(batch(), True)
    losses = model(**data, mode='loss')
    assert {'decode.loss_ce', 'distill.loss_kd', 'distill.loss_hint'} <= set(losses)
    total, log_vars = model.parse_losses(losses)
    # 'hint' has no 'loss' in its config name but is summed into the total
    expected = losses['decode.loss_ce'] + losses['distill.loss_kd'] + losses['distill.loss_hint']
    assert torch.allclose(total, expected)
    preds = model(**model.data_preprocessor(batch(), False), mode='predict')
    assert preds[0].pred_sem_seg.data.shape == (1, 32, 32)
    logits = model(data['inputs'], mode='tensor')
    assert logits.shape == (2, 2, 4, 4)
    with pytest.raises(ValueError, match="mode must be"):
        model(data['inputs'], mode='bogus')


def test_kd_value_matches_loss_on_recorded_logits():
    model = build()
    data = model.data_preprocessor(batch(), True)
    with records_seen_by_losses(model) as seen:
        losses = model(**data, mode='loss')
    s = seen.student['logits'].get()
    t = seen.teachers['teacher']['logits'].get()
    assert torch.allclose(losses['distill.loss_kd'], KDLoss(temperature=2.0)(s, t))
    assert not t.requires_grad and s.requires_grad


def test_gradients_reach_student_and_connectors_only():
    model = build(distiller=fitnet_kd_distiller())
    model.train()
    data = model.data_preprocessor(batch(), True)
    total, _ = model.parse_losses(model(**data, mode='loss'))
    total.backward()
    assert all(p.grad is None and not p.requires_grad for p in model.teachers.parameters())
    assert all(p.grad is not None for p in model.student.parameters())
    assert all(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.distiller.connectors.parameters())


def test_teacher_bit_identical_after_training_steps_in_train_mode():
    model = build(distiller=fitnet_kd_distiller())
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)))
    teacher_before = copy.deepcopy(model.teachers.state_dict())
    student_before = copy.deepcopy(model.student.state_dict())
    conn_before = copy.deepcopy(model.distiller.connectors.state_dict())
    for step in range(3):
        model.train()
        assert model.student.training and not model.teachers['teacher'].training
        assert all(not m.training for m in model.teachers.modules())
        model.train_step(batch(seed=step), optim)
    after = model.teachers.state_dict()
    assert any('running_mean' in k for k in after)
    for key, value in teacher_before.items():
        assert torch.equal(value, after[key]), key
    assert not torch.equal(student_before['decode_head.conv_seg.weight'],
                           model.student.state_dict()['decode_head.conv_seg.weight'])
    # student BN statistics move, the teacher's do not
    assert not torch.equal(student_before['backbone.stem.1.running_mean'],
                           model.student.state_dict()['backbone.stem.1.running_mean'])
    assert not torch.equal(conn_before['s2t.proj.conv.weight'],
                           model.distiller.connectors.state_dict()['s2t.proj.conv.weight'])


def test_teacher_weights_kept_out_of_state_dict_by_default():
    model = build()
    keys = list(model.state_dict())
    assert keys and not any(k.startswith('teachers.') for k in keys)
    assert any(k.startswith('student.') for k in keys)
    model.load_state_dict(model.state_dict(), strict=True)  # resume works strictly
    wrapper = torch.nn.Module()       # e.g. a DDP-style wrapper: keys under 'module.'
    wrapper.module = model
    assert not any('teachers.' in k for k in wrapper.state_dict())
    wrapper.load_state_dict(wrapper.state_dict(), strict=True)
    kept = build(save_teacher_weights=True)
    assert any(k.startswith('teachers.teacher.') for k in kept.state_dict())


def test_different_teacher_input_paired_modality():
    # EO teacher on 4 bands, SAR student on 2 bands
    model = build(student=tiny_segmentor(8, in_channels=2),
                  teacher=tiny_segmentor(16, in_channels=4))
    raw = batch(channels=2, teacher_channels=4)
    teacher_inputs = torch.stack(raw.pop('teacher_inputs')) / 255.0
    data = model.data_preprocessor(raw, True)
    losses = model(**data, mode='loss', teacher_inputs=teacher_inputs)
    assert losses['distill.loss_kd'] > 0
    # without teacher inputs the 4-band teacher cannot run on 2-band SAR
    with pytest.raises(RuntimeError):
        model(**data, mode='loss')
    # prediction needs the student modality only
    assert len(model(data['inputs'], data['data_samples'], mode='predict')) == 2


def test_bitemporal_inputs_go_to_both_models():
    model = build(student=tiny_segmentor(8, in_channels=6),
                  teacher=tiny_segmentor(16, in_channels=6))
    data = model.data_preprocessor(batch(channels=6), True)
    assert model(**data, mode='loss')['distill.loss_kd'] > 0


def two_teachers(weights=(3.0, 1.0)):
    return dict(a=dict(cfg=tiny_segmentor(16), weight=weights[0]),
                b=dict(cfg=tiny_segmentor(8), weight=weights[1], inputs='student'))


def test_multi_teacher_weighted_mean_of_logits():
    distiller = kd_distiller()
    distiller['loss_forward_mappings']['loss_kd']['preds_T']['reduce'] = 'weighted_mean'
    model = MODELS.build(dict(type='TeacherStudentDistill', student=tiny_segmentor(8),
                              teachers=two_teachers(), distiller=distiller,
                              allow_random_teacher=True))
    data = model.data_preprocessor(batch(), True)
    with records_seen_by_losses(model) as seen:
        losses = model(**data, mode='loss')
    s = seen.student['logits'].get()
    ta = seen.teachers['a']['logits'].get()
    tb = seen.teachers['b']['logits'].get()
    expected = KDLoss(temperature=2.0)(s, 0.75 * ta + 0.25 * tb)
    assert torch.allclose(losses['distill.loss_kd'], expected)


def test_multi_teacher_one_loss_per_teacher_scaled_by_weight():
    rec = dict(type='ModuleOutputs', source='decode_head.conv_seg')
    distiller = dict(
        type='ConfigurableDistiller', student_recorders=dict(logits=rec),
        teacher_recorders=dict(logits=rec),
        distill_losses=dict(kd_a=dict(type='KDLoss'), kd_b=dict(type='KDLoss')),
        loss_forward_mappings=dict(
            kd_a=dict(preds_S=dict(from_student=True, recorder='logits'),
                      preds_T=dict(from_student=False, recorder='logits', teacher='a')),
            kd_b=dict(preds_S=dict(from_student=True, recorder='logits'),
                      preds_T=dict(from_student=False, recorder='logits', teacher='b'))))
    model = MODELS.build(dict(type='TeacherStudentDistill', student=tiny_segmentor(8),
                              teachers=two_teachers((3.0, 0.5)), distiller=distiller,
                              allow_random_teacher=True))
    with records_seen_by_losses(model) as seen:
        losses = model(**model.data_preprocessor(batch(), True), mode='loss')
    s = seen.student['logits'].get()
    for name, w in (('a', 3.0), ('b', 0.5)):
        t = seen.teachers[name]['logits'].get()
        assert torch.allclose(losses[f'distill.loss_kd_{name}'], w * KDLoss()(s, t))


def test_scheduled_loss_weight_follows_the_iteration_hook():
    from types import SimpleNamespace

    from mmkd_rs.distill.hooks import DistillIterHook
    from mmkd_rs.distill.wiring import DistillConfigError
    distiller = kd_distiller()
    distiller['loss_weight_schedules'] = dict(loss_kd=dict(warmup_iters=10, stop_after=20))
    model = build(distiller=distiller)
    data = model.data_preprocessor(batch(), True)
    with pytest.raises(DistillConfigError, match='DistillIterHook'):
        model(**data, mode='loss')      # no iteration given: refused, never iteration 0
    values = {}
    with records_seen_by_losses(model) as seen:
        for it in (5, 25):
            DistillIterHook().before_train_iter(SimpleNamespace(model=model, iter=it), 0)
            losses = model(**data, mode='loss')
            values[it] = losses['distill.loss_kd']
            assert losses['distill.weight_kd'].item() == pytest.approx(0.5 if it == 5 else 0)
    s = seen.student['logits'].get()
    t = seen.teachers['teacher']['logits'].get()
    assert torch.allclose(values[5], 0.5 * KDLoss(temperature=2.0)(s, t))
    assert values[25].item() == 0.0 and values[25].requires_grad


def test_logged_total_is_task_plus_distill_losses_with_a_schedule():
    """The schedule factor is logged (``distill.weight_kd``), never summed."""
    distiller = fitnet_kd_distiller()
    distiller['loss_weight_schedules'] = dict(loss_kd=dict(warmup_iters=10),
                                              hint=dict(max_factor=0.25))
    model = build(distiller=distiller)
    model.distiller.set_iter(5)
    losses = model(**model.data_preprocessor(batch(), True), mode='loss')
    total, log_vars = model.parse_losses(losses)
    expected = (losses['decode.loss_ce'] + losses['distill.loss_kd']
                + losses['distill.loss_hint'])
    assert torch.allclose(total, expected)
    assert log_vars['loss'].item() == pytest.approx(expected.item())
    assert log_vars['distill.weight_kd'].item() == pytest.approx(0.5)
    assert log_vars['distill.weight_hint'].item() == pytest.approx(0.25)
    assert not any('loss' in k for k in losses if k.startswith('distill.weight'))


def test_paired_preprocessor_feeds_teacher_inputs_through_train_step():
    model = build(student=tiny_segmentor(8, in_channels=2),
                  teacher=tiny_segmentor(16, in_channels=4),
                  data_preprocessor=dict(type='PairedModalityDataPreProcessor',
                                         mean=[0.0] * 2, std=[1.0] * 2,
                                         teacher_mean=[0.0] * 4, teacher_std=[255.0] * 4,
                                         size=(32, 32)))
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD', lr=0.01)))
    log_vars = model.train_step(batch(channels=2, teacher_channels=4), optim)
    assert log_vars['distill.loss_kd'] > 0
    # validation batches of SAR-only configs carry no teacher_inputs
    raw = batch(channels=2)
    assert len(model.val_step(raw)) == 2
