"""Build-time validation of recorders, connectors and loss mappings."""
import pytest
import torch
from distill_testkit import batch, kd_distiller, kd_model_cfg, records_seen_by_losses, use_scope

from mmkd_rs.distill.wiring import DistillConfigError
from mmkd_rs.registry import MODELS

use_scope()


def build_with(distiller):
    return MODELS.build(kd_model_cfg(distiller=distiller))


def test_wrong_module_path_lists_close_matches():
    cfg = kd_distiller()
    cfg['student_recorders']['logits']['source'] = 'decode_head.conv_sg'
    with pytest.raises(DistillConfigError, match=r"student_recorders\['logits'\].*"
                       r"'decode_head.conv_sg'.*did you mean 'decode_head.conv_seg'"):
        build_with(cfg)


def test_wrong_argument_name_lists_signature():
    cfg = kd_distiller()
    mapping = cfg['loss_forward_mappings']['loss_kd']
    mapping['preds_s'] = mapping.pop('preds_S')
    with pytest.raises(DistillConfigError, match=r"unknown argument of KDLoss.forward "
                       r"'preds_s'; did you mean .*'preds_S'.*Valid choices: gt_seg, preds_S, preds_T"):
        build_with(cfg)


def test_unmapped_required_argument():
    cfg = kd_distiller()
    del cfg['loss_forward_mappings']['loss_kd']['preds_T']
    with pytest.raises(DistillConfigError, match=r"needs the argument\(s\) \['preds_T'\]"):
        build_with(cfg)


def test_unknown_recorder_connector_and_loss_names():
    cfg = kd_distiller()
    cfg['loss_forward_mappings']['loss_kd']['preds_T']['recorder'] = 'logit'
    with pytest.raises(DistillConfigError, match="teacher recorder 'logit'.*did you mean 'logits'"):
        build_with(cfg)
    cfg = kd_distiller()
    cfg['loss_forward_mappings']['loss_kd']['preds_S']['connector'] = 'nope'
    with pytest.raises(DistillConfigError, match="unknown connector 'nope'"):
        build_with(cfg)
    cfg = kd_distiller()
    cfg['loss_forward_mappings']['loss_kdd'] = cfg['loss_forward_mappings'].pop('loss_kd')
    with pytest.raises(DistillConfigError, match="distill loss 'loss_kdd'.*'loss_kd'"):
        build_with(cfg)
    cfg = kd_distiller()
    cfg['student_recorders']['logits']['type'] = 'ModuleOutput'
    with pytest.raises(DistillConfigError, match="did you mean 'ModuleOutputs'"):
        build_with(cfg)
    cfg = kd_distiller()
    cfg['loss_weight_schedules'] = dict(kd=dict(warmup_iters=3))
    with pytest.raises(DistillConfigError, match='loss_weight_schedules'):
        build_with(cfg)


def test_wrong_method_and_ambiguous_teacher():
    cfg = kd_distiller()
    cfg['student_recorders']['logits'] = dict(type='MethodOutputs', source='decode_head.cls_sag')
    with pytest.raises(DistillConfigError, match="did you mean 'cls_seg'"):
        build_with(cfg)
    from distill_testkit import tiny_segmentor
    with pytest.raises(DistillConfigError, match="weighted_mean"):
        MODELS.build(dict(type='TeacherStudentDistill', student=tiny_segmentor(8),
                          teachers=dict(a=dict(cfg=tiny_segmentor(8)),
                                        b=dict(cfg=tiny_segmentor(8))),
                          distiller=kd_distiller(), allow_random_teacher=True))


def test_method_and_function_recorders_capture_outputs():
    cfg = kd_distiller()
    cfg['student_recorders'] = dict(
        logits=dict(type='ModuleOutputs', source='decode_head.conv_seg'),
        head=dict(type='MethodOutputs', source='decode_head.forward'),
        feats_in=dict(type='ModuleInputs', source='decode_head.conv_seg'),
        head_call=dict(type='ModuleOutputs', source='decode_head'),
        upsampled=dict(type='FunctionOutputs',
                       source='mmseg.models.decode_heads.decode_head.resize'))
    model = build_with(cfg)
    with records_seen_by_losses(model) as seen:
        model(**model.data_preprocessor(batch(), True), mode='loss')
    group = seen.student
    assert torch.equal(group['head'].get(), group['logits'].get())
    assert group['feats_in'].get()[0].shape == (2, 16, 4, 4)   # conv_seg's input tuple
    # mmseg heads run ``self.forward`` directly in loss mode, so a module hook on
    # the head itself sees nothing and says so (use MethodOutputs instead)
    with pytest.raises(RuntimeError, match='recorded nothing'):
        group['head_call'].get()
    assert group['upsampled'].get().shape == (2, 2, 32, 32)
    # recorders are idle outside the loss forward
    model(torch.zeros(1, 3, 32, 32), mode='tensor')
    assert all(not rec.data for rec in model.distiller.student_group.recorders.values())


def test_from_data_labels_reach_the_loss():
    cfg = kd_distiller()
    cfg['loss_forward_mappings']['loss_kd']['gt_seg'] = dict(from_data='gt_sem_seg')
    model = build_with(cfg)
    assert model(**model.data_preprocessor(batch(), True), mode='loss')['distill.loss_kd'] > 0
    cfg['loss_forward_mappings']['loss_kd']['gt_seg'] = dict(from_data='gt_sem_seg', x=1)
    with pytest.raises(DistillConfigError, match='from_data'):
        build_with(cfg)


def test_method_recorders_stack_and_survive_deepcopy():
    import copy
    cfg = kd_distiller()
    cfg['student_recorders'] = dict(
        logits=dict(type='MethodOutputs', source='decode_head.cls_seg'),
        again=dict(type='MethodOutputs', source='decode_head.cls_seg'))
    model = build_with(cfg)
    with records_seen_by_losses(model) as seen:
        model(**model.data_preprocessor(batch(), True), mode='loss')
    group = seen.student
    assert torch.equal(group['logits'].get(), group['again'].get())
    # an EMA-style deep copy runs its own weights, not the original's
    clone = copy.deepcopy(model.student)
    torch.nn.init.zeros_(clone.decode_head.conv_seg.weight)
    torch.nn.init.zeros_(clone.decode_head.conv_seg.bias)
    feats = torch.randn(1, 16, 4, 4)
    assert torch.equal(clone.decode_head.cls_seg(feats), torch.zeros(1, 2, 4, 4))
    assert not torch.equal(model.student.decode_head.cls_seg(feats), torch.zeros(1, 2, 4, 4))


def test_runtime_loss_failure_names_the_loss_and_shapes():
    cfg = kd_distiller()
    cfg['distill_losses']['loss_kd'] = dict(type='FitNetLoss')
    cfg['student_recorders']['logits']['source'] = 'backbone.layer4'
    model = build_with(cfg)
    with pytest.raises(ValueError, match=r"distill loss 'loss_kd' \(FitNetLoss\) failed on "
                       r"inputs \{'preds_S': \(2, 64, 4, 4\), 'preds_T': \(2, 2, 4, 4\)\}"):
        model(**model.data_preprocessor(batch(), True), mode='loss')
