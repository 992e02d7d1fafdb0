"""MTKD: change-area-ratio partitions, the partition sampler and per-sample routing."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from distill_testkit import records_seen_by_losses, tiny_segmentor, use_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.datasets.change_ratio import (CARPartitionError, ChangeRatioPartitionSampler,
                                           car_partition, change_area_ratio,
                                           dataset_change_ratios)
from mmkd_rs.distill.wiring import DistillConfigError
from mmkd_rs.registry import DATASETS, MODELS

SIZE = 10  # 100-pixel labels: a CAR of k/100 is k changed pixels
RATIOS = (0.0, 0.1, 0.3, 0.04)


def test_change_area_ratio_and_partition_by_hand():
    label = np.zeros((4, 5), np.uint8)
    label[0, :3] = 1                                   # 3 changed of 20
    assert change_area_ratio(label) == pytest.approx(0.15)
    label[3] = 255                                     # 5 ignored: 3 of 15
    assert change_area_ratio(torch.from_numpy(label)) == pytest.approx(0.2)
    assert change_area_ratio(np.full((2, 2), 255)) == 0.0
    thresholds = (0.05, 0.2)
    assert [car_partition(r, thresholds) for r in (0.0, 0.0499, 0.05, 0.1999, 0.2, 1.0)] == \
        [0, 0, 1, 1, 2, 2]


def write_change_set(root, ratios=RATIOS):
    """LEVIR-CD layout with labels whose CAR is exactly ``ratios``."""
    for sub in ('A', 'B', 'label'):
        os.makedirs(osp.join(root, sub), exist_ok=True)
    for i, ratio in enumerate(ratios):
        label = np.zeros(SIZE * SIZE, np.uint8)
        label[:round(ratio * SIZE * SIZE)] = 255
        image = np.full((SIZE, SIZE, 3), 40 * i, np.uint8)
        cv2.imwrite(osp.join(root, 'A', f'tile_{i}.png'), image)
        cv2.imwrite(osp.join(root, 'B', f'tile_{i}.png'), image)
        cv2.imwrite(osp.join(root, 'label', f'tile_{i}.png'), label.reshape(SIZE, SIZE))
    use_scope()
    return DATASETS.build(dict(
        type='LEVIRCDDataset', data_root=str(root),
        pipeline=[dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
                  dict(type='LoadBiTemporalAnnotations', label_format='0-255'),
                  dict(type='PackBiTemporalInputs')]))


def test_partition_sampler_draws_only_its_partition(tmp_path):
    dataset = write_change_set(tmp_path)
    assert dataset_change_ratios(dataset) == pytest.approx(list(RATIOS))
    small = ChangeRatioPartitionSampler(dataset, partition=0, seed=0)   # CAR 0 and 0.04
    drawn = [i for i, _ in zip(iter(small), range(20))]
    assert len(small) == 2 and set(drawn) == {0, 3}
    assert set(drawn[:2]) == set(drawn[2:4]) == {0, 3}                 # each pass: a permutation
    large = ChangeRatioPartitionSampler(dataset, partition=2, seed=0, shuffle=False)
    assert [i for i, _ in zip(iter(large), range(3))] == [2, 2, 2]
    with pytest.raises(CARPartitionError, match='partition 1 .* is empty'):
        ChangeRatioPartitionSampler(dataset, partition=1, thresholds=(0.11, 0.2))
    with pytest.raises(CARPartitionError, match='strictly increasing'):
        ChangeRatioPartitionSampler(dataset, partition=0, thresholds=(0.2, 0.05))


def sample(ratio, size=16):
    """A data sample whose label has the given CAR over the labelled pixels."""
    label = torch.zeros(1, size, size, dtype=torch.long)
    label[:, 0] = 255                                  # one ignored row: 240 labelled pixels
    label.view(-1)[size:size + round(ratio * size * (size - 1))] = 1
    data_sample = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                              pad_shape=(size, size)))
    data_sample.gt_sem_seg = PixelData(data=label)
    return data_sample


def mtkd_model(loss_weight=1.0, **routing):
    use_scope()
    logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='TeacherStudentDistill', student=tiny_segmentor(8, size=16),
        teachers={t: dict(cfg=tiny_segmentor(8, size=16), weight=w)
                  for t, w in (('small', 5.0), ('medium', 1.0), ('large', 1.0))},
        allow_random_teacher=True,
        distiller=dict(
            type='MTKDDistiller', routing=dict(teachers=['small', 'medium', 'large'], **routing),
            student_recorders=dict(logits=logits), teacher_recorders=dict(logits=logits),
            distill_losses=dict(loss_mtkd=dict(type='FitNetLoss', loss_weight=loss_weight)),
            loss_forward_mappings=dict(loss_mtkd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits', reduce='route'))))))


def test_each_sample_is_distilled_from_the_teacher_of_its_partition():
    model = mtkd_model()
    model.train()
    # CAR 0.3 -> large, 0 -> small, 0.1 -> medium, 0.04 -> small
    samples = [sample(r) for r in (0.3, 0.0, 0.1, 0.04)]
    inputs = torch.randn(4, 3, 16, 16)
    with records_seen_by_losses(model) as seen:
        losses = model.loss(inputs, samples)
    record = {t: seen.teachers[t]['logits'].get() for t in ('small', 'medium', 'large')}
    routed = torch.stack([record[t][n] for n, t in enumerate(('large', 'small', 'medium',
                                                               'small'))])
    student = seen.student['logits'].get()
    expected = (student - routed).pow(2).mean()
    assert losses['distill.loss_mtkd'].item() == pytest.approx(expected.item(), rel=1e-6)
    # the teachers differ, so a wrong route would change the value; no teacher weight applies
    assert not torch.allclose(record['small'], record['large'])
    assert [losses[f'distill.route_{t}'].item() for t in ('small', 'medium', 'large')] == \
        [2.0, 1.0, 1.0]
    losses['distill.loss_mtkd'].backward()
    assert all(p.grad is None for p in model.teachers.parameters())
    assert model.student.decode_head.conv_seg.weight.grad.abs().sum() > 0


def test_thresholds_are_configurable():
    model = mtkd_model(thresholds=(0.2, 0.5))
    routes = model.distiller.routes([sample(r) for r in (0.1, 0.3, 0.6)])
    assert routes.tolist() == [0, 1, 2]


@pytest.mark.parametrize('routing, mapping, match', [
    (dict(thresholds=(0.05,)), None, '3 teachers need 2 thresholds'),
    (dict(thresholds=(0.2, 0.05)), None, 'strictly increasing'),
    (dict(thresholds=(0.05, 0.2), label_field='x'), None, 'unknown routing option'),
    (dict(), dict(from_student=True, recorder='logits', reduce='route'), 'teacher sources'),
    (dict(), dict(from_student=False, recorder='logits', reduce='route', teacher='small'),
     'teacher sources'),
])
def test_routing_errors_name_the_problem(routing, mapping, match):
    use_scope()
    logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
    cfg = dict(
        type='TeacherStudentDistill', student=tiny_segmentor(8, size=16),
        teachers={t: dict(cfg=tiny_segmentor(8, size=16)) for t in ('a', 'b', 'c')},
        allow_random_teacher=True,
        distiller=dict(
            type='MTKDDistiller', routing=dict(teachers=['a', 'b', 'c'], **routing),
            student_recorders=dict(logits=logits), teacher_recorders=dict(logits=logits),
            distill_losses=dict(loss_mtkd=dict(type='FitNetLoss')),
            loss_forward_mappings=dict(loss_mtkd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=mapping or dict(from_student=False, recorder='logits',
                                        reduce='route')))))
    with pytest.raises(DistillConfigError, match=match):
        MODELS.build(cfg)


def test_unknown_routed_teacher_is_refused():
    with pytest.raises(DistillConfigError, match="unknown teacher name 'huge'"):
        use_scope()
        logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
        MODELS.build(dict(
            type='TeacherStudentDistill', student=tiny_segmentor(8, size=16),
            teachers={t: dict(cfg=tiny_segmentor(8, size=16)) for t in ('small', 'large')},
            allow_random_teacher=True,
            distiller=dict(
                type='MTKDDistiller',
                routing=dict(teachers=['small', 'huge'], thresholds=(0.1, )),
                student_recorders=dict(logits=logits), teacher_recorders=dict(logits=logits),
                distill_losses=dict(loss_mtkd=dict(type='FitNetLoss')),
                loss_forward_mappings=dict(loss_mtkd=dict(
                    preds_S=dict(from_student=True, recorder='logits'),
                    preds_T=dict(from_student=False, recorder='logits', reduce='route'))))))
