"""A distillation run and its student-alone run with the same seed form a pair.

The teacher and the distiller's connectors are built and initialised without
moving the global generators, so the student starts from the same weights and
draws the same dropout masks and batches as when it is trained alone: with
every distill-loss weight at 0 the two runs end bit for bit equal.
"""
import copy

import pytest
import torch
from distill_testkit import TinySegData, kd_distiller, tiny_segmentor, use_scope
from mmengine.config import ConfigDict
from mmengine.dataset import pseudo_collate
from mmengine.runner import Runner

from mmkd_rs.registry import MODELS

use_scope()


def student_cfg():
    cfg = tiny_segmentor(8)
    # dropout draws from torch's generator at every step: the stream after the
    # initialisation has to match too, not only the initial weights
    cfg['decode_head']['dropout_ratio'] = 0.3
    return cfg


def distill_cfg(weight, connector):
    distiller = kd_distiller()
    distiller['distill_losses']['loss_kd']['loss_weight'] = weight
    if connector:
        distiller['student_recorders']['feat'] = dict(type='ModuleOutputs',
                                                      source='backbone.layer4')
        distiller['teacher_recorders']['feat'] = dict(type='ModuleOutputs',
                                                      source='backbone.layer4')
        distiller['connectors'] = dict(mimic=dict(type='ConvBNConnector', in_channels=64,
                                                  out_channels=128))
        distiller['distill_losses']['loss_mimic'] = dict(type='FitNetLoss', loss_weight=weight)
        distiller['loss_forward_mappings']['loss_mimic'] = dict(
            preds_S=dict(from_student=True, recorder='feat', connector='mimic'),
            preds_T=dict(from_student=False, recorder='feat'))
    return dict(type='TeacherStudentDistill', student=student_cfg(),
                teacher=tiny_segmentor(16), distiller=distiller, allow_random_teacher=True)


def train(model_cfg, work_dir, seed=0, iters=3):
    """Train ``iters`` SGD steps with ``seed``; the student's final state dict.

    A distillation run evaluates its teacher before training
    (``TeacherEvalHook``), as the distillation configs do.
    """
    distill = model_cfg['type'] == 'TeacherStudentDistill'
    runner = Runner(
        model=ConfigDict(copy.deepcopy(model_cfg)), work_dir=str(work_dir),
        train_dataloader=dict(dataset=TinySegData(8, seed=5), batch_size=2, num_workers=0,
                              sampler=dict(type='DefaultSampler', shuffle=True),
                              collate_fn=pseudo_collate),
        val_dataloader=dict(dataset=TinySegData(4, seed=5), batch_size=2, num_workers=0,
                            sampler=dict(type='DefaultSampler', shuffle=False),
                            collate_fn=pseudo_collate),
        val_evaluator=dict(type='IoUMetric', iou_metrics=['mIoU']), val_cfg=dict(),
        custom_hooks=[dict(type='TeacherEvalHook')] if distill else [],
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=iters, val_interval=100),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9)),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=100,
                                           by_epoch=False),
                           logger=dict(type='LoggerHook', interval=1)),
        randomness=dict(seed=seed), default_scope='mmkd_rs', log_level='WARNING')
    runner.train()
    model = runner.model
    student = model.student if hasattr(model, 'student') else model
    return {k: v.clone() for k, v in student.state_dict().items()}


def assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


@pytest.fixture(scope='module')
def alone(tmp_path_factory):
    return train(student_cfg(), tmp_path_factory.mktemp('alone'))


@pytest.mark.parametrize('connector', [False, True], ids=['kd', 'kd+connector'])
def test_zero_weight_distillation_reproduces_the_student_alone(tmp_path, alone, connector):
    assert_same(train(distill_cfg(0.0, connector), tmp_path), alone)


def test_the_pair_shares_its_starting_weights_but_not_its_training(tmp_path, alone):
    # a nonzero weight trains another student from the same start
    start_alone = train(student_cfg(), tmp_path / 'a', iters=0)
    start_kd = train(distill_cfg(1.0, True), tmp_path / 'b', iters=0)
    assert_same(start_kd, start_alone)
    trained = train(distill_cfg(1.0, True), tmp_path / 'c')
    assert not torch.equal(trained['decode_head.conv_seg.weight'],
                           alone['decode_head.conv_seg.weight'])


def test_another_seed_starts_elsewhere(tmp_path):
    a = train(student_cfg(), tmp_path / 'a', seed=0, iters=0)
    b = train(student_cfg(), tmp_path / 'b', seed=1, iters=0)
    assert not torch.equal(a['decode_head.conv_seg.weight'], b['decode_head.conv_seg.weight'])


def test_building_a_distillation_model_leaves_the_generators_as_the_student_alone(tmp_path):
    torch.manual_seed(7)
    MODELS.build(student_cfg())
    after_alone = torch.rand(3)
    torch.manual_seed(7)
    MODELS.build(distill_cfg(1.0, True))
    assert torch.equal(torch.rand(3), after_alone)
