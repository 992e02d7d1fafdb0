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
                                           check_thresholds, dataset_change_ratios)
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
    for bad in ((), (0.0, 0.2), (0.2, 0.2), (0.5, 1.0), ('a', ), 0.05):
        with pytest.raises(CARPartitionError, match='strictly increasing'):
            check_thresholds(bad, 'test')


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


def test_partition_tool_writes_ann_file_lists(tmp_path, capsys):
    import importlib.util
    root = tmp_path / 'data'
    write_change_set(root)
    config = tmp_path / 'cfg.py'
    config.write_text(
        "default_scope = 'mmkd_rs'\n"
        f"train_dataloader = dict(dataset=dict(type='LEVIRCDDataset', data_root={str(root)!r}, "
        "pipeline=[dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)), "
        "dict(type='LoadBiTemporalAnnotations', label_format='0-255')]), "
        "sampler=dict(type='ChangeRatioPartitionSampler', partition=0, "
        "thresholds=(0.05, 0.2)))\n")
    tool = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'dataset_converters',
                    'partition_by_change_ratio.py')
    spec = importlib.util.spec_from_file_location('partition_by_change_ratio', tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(config)])
    lists = [(root / 'car_partitions' / f'car_partition_{k}.txt').read_text().split()
             for k in range(3)]
    assert lists == [['tile_0', 'tile_3'], ['tile_1'], ['tile_2']]
    assert 'thresholds [0.05, 0.2]' in capsys.readouterr().out
    subset = DATASETS.build(dict(type='LEVIRCDDataset', data_root=str(root),
                                 ann_file='car_partitions/car_partition_0.txt', pipeline=[]))
    assert [osp.basename(subset.get_data_info(i)['img_path']) for i in range(len(subset))] \
        == ['tile_0.png', 'tile_3.png']


def run_train(config, work_dir, *options):
    """``tools/train.py CONFIG`` in a subprocess (1 thread); the CompletedProcess."""
    import subprocess
    import sys
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    env = dict(os.environ, OMP_NUM_THREADS='1')
    cmd = [sys.executable, osp.join(repo, 'tools', 'train.py'), config,
           '--work-dir', str(work_dir), '--cfg-options', 'train_cfg.max_iters=2',
           'train_cfg.val_interval=1000', 'default_hooks.checkpoint.interval=2',
           'default_hooks.logger.interval=1', *options]
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_mtkd_steps_2_and_3_through_tools_train(tmp_path):
    """A partition teacher trains on its partition only; the MTKD student starts from a
    checkpoint, loads three teachers and logs how many samples each teacher got."""
    import glob
    import json

    from mmkd_rs.datasets.synthetic import generate_synthetic_levir
    data = generate_synthetic_levir(str(tmp_path / 'data'), 8, 2, 2, size=128, seed=0)
    ratios = sorted(float((cv2.imread(p, cv2.IMREAD_GRAYSCALE) > 0).mean())
                    for p in glob.glob(osp.join(data, 'train', 'label', '*.png')))
    # thresholds from the data: 4 tiles below the first, the rest below the second
    assert ratios[3] < ratios[4], ratios
    thresholds = [(ratios[3] + ratios[4]) / 2, (ratios[-1] + 1) / 2]
    roots = [f'{s}_dataloader.dataset.data_root={data}' for s in ('train', 'val', 'test')]
    teacher = run_train('configs/mtkd/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-small-'
                        '128x128.py', tmp_path / 'teacher', *roots,
                        f'train_dataloader.sampler.thresholds={thresholds}')
    assert teacher.returncode == 0, teacher.stderr[-3000:]
    assert f'partition 0 (thresholds {thresholds}) holds 4 of 8 samples' in teacher.stdout
    ckpt = tmp_path / 'teacher' / 'iter_2.pth'
    student = run_train(
        'configs/mtkd/mtkd_siam-r18w32_3xsiam-r18w32_1xb4-quick_synth-levir-cd-128x128.py',
        tmp_path / 'student', f'model.student.init_cfg.checkpoint={ckpt}',
        *[f'model.teachers.{t}.ckpt={ckpt}' for t in ('small', 'medium', 'large')], *roots,
        f'model.distiller.routing.thresholds={thresholds}')
    assert student.returncode == 0, student.stderr[-3000:]
    assert f'load model from: {ckpt}' in student.stdout
    scalars = (tmp_path / 'student').glob('*/vis_data/scalars.json')
    steps = [json.loads(line) for line in next(scalars).read_text().splitlines()]
    steps = [s for s in steps if 'distill.loss_mtkd' in s]
    assert len(steps) == 2
    for step in steps:   # a batch of 4 crops (whole tiles), each routed to one teacher
        assert sum(step[f'distill.route_{t}'] for t in ('small', 'medium', 'large')) == 4
        assert step['distill.route_large'] == 0   # no tile reaches the second threshold


def test_list_modules_lists_the_new_methods():
    from mmkd_rs.utils.module_index import registered_modules
    groups = {title: [name for name, _ in rows]
              for title, rows in registered_modules().items()}
    assert {'IFVDLoss', 'CIRKDLoss', 'DKDLoss'} <= set(groups['distill losses'])
    assert 'MTKDDistiller' in groups['distillers']
