"""FRD built from its configs with tiny random siamese models: a few training steps."""
import copy
import os

import pytest
import torch
from distill_testkit import use_scope
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.registry import MODELS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BN = dict(type='BN', requires_grad=True)
STUDENT_FPN, TEACHER_FPN = 16, 32


def tiny_siamese(width, fpn):
    """A siamese ResNet-18-V1c (``width`` base channels) + FPN(``fpn``) change model."""
    widths = [width * 2**i for i in range(4)]
    return dict(
        type='SiameseChangeSegmentor',
        in_channels_per_date=(3, 3),
        data_preprocessor=dict(type='BiTemporalDataPreProcessor', mean=[[120.0] * 3] * 2,
                               std=[[60.0] * 3] * 2, size_divisor=32, pad_val=0,
                               seg_pad_val=255),
        backbone=dict(type='ResNetV1c', depth=18, base_channels=width, stem_channels=width,
                      norm_cfg=BN),
        fusion_neck=dict(type='BiTemporalFusionNeck', in_channels=widths, policy='abs_diff'),
        neck=dict(type='FPN', in_channels=widths, out_channels=fpn, num_outs=4),
        decode_head=dict(type='FPNHead', in_channels=[fpn] * 4, in_index=[0, 1, 2, 3],
                         feature_strides=[4, 8, 16, 32], channels=fpn, num_classes=2,
                         norm_cfg=BN, align_corners=False,
                         loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0,
                                          avg_non_ignore=True)),
        train_cfg=dict(), test_cfg=dict(mode='whole'))


def tiny_frd_config(name):
    """Config ``configs/frd/<name>`` with tiny random student and teacher."""
    cfg = Config.fromfile(os.path.join(REPO, 'configs', 'frd', name))
    cfg.model.student = tiny_siamese(8, STUDENT_FPN)
    cfg.model.teacher = tiny_siamese(16, TEACHER_FPN)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    ccrd = cfg.model.distiller.distill_losses.get('loss_ccrd')
    if ccrd is not None:
        ccrd.student_channels, ccrd.teacher_channels = STUDENT_FPN, TEACHER_FPN
    return cfg


def change_batch(n=2, size=64, seed=0):
    """Raw bi-temporal batch: uint8 dates, one changed square per image, ignore border."""
    gen = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for i in range(n):
        image = torch.randint(0, 255, (6, size, size), generator=gen, dtype=torch.uint8)
        label = torch.zeros(1, size, size, dtype=torch.long)
        if i % 2 == 0:  # the other images have no change at all
            label[:, 8:40, 16:48] = 1
            image[3:, 8:40, 16:48] = 255
        label[:, :, :2] = 255
        sample = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                             pad_shape=(size, size), channels_per_date=(3, 3)))
        sample.gt_sem_seg = PixelData(data=label)
        inputs.append(image)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    use_scope()


@pytest.mark.slow
@pytest.mark.parametrize('name, keys', [
    ('frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py',
     {'distill.loss_bfdd', 'distill.loss_ccrd_pixel', 'distill.loss_ccrd_relation',
      'distill.loss_ccrd_contrast'}),
    ('frd-kd_siam-r18w32_siam-r50_1xb8-20k_whu-cd-256x256.py',
     {'distill.loss_bfdd', 'distill.loss_ccrd_contrast', 'distill.loss_kd'}),
    ('ccrd-kmeans_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py',
     {'distill.loss_ccrd_contrast'}),
])
def test_frd_trains_student_and_leaves_teacher_unchanged(name, keys, in_repo):
    torch.manual_seed(0)
    model = MODELS.build(tiny_frd_config(name).model)
    model.train()
    data = model.data_preprocessor(change_batch(), True)

    losses = model(**data, mode='loss')
    assert keys <= set(losses)
    distill = sum(v for k, v in losses.items() if k.startswith('distill.loss'))
    assert torch.isfinite(distill) and distill > 0
    distill.backward()  # distillation alone must reach the student
    student_grads = [p.grad for p in model.student.backbone.parameters()]
    assert all(g is not None for g in student_grads)
    assert sum(g.abs().sum() for g in student_grads) > 0
    if 'loss_ccrd' in model.distiller.distill_losses:
        assert model.distiller.distill_losses['loss_ccrd'].projector.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.teachers.parameters())

    teacher_before = copy.deepcopy(model.teachers.state_dict())
    student_before = copy.deepcopy(model.student.state_dict())
    params = [p for p in model.parameters() if p.requires_grad]
    optim = OptimWrapper(torch.optim.SGD(params, lr=0.01, momentum=0.9))
    optim.zero_grad()
    for step in range(2):
        log_vars = model.train_step(change_batch(seed=step), optim)
        assert all(torch.isfinite(torch.as_tensor(v)).all() for v in log_vars.values())
    for key, value in model.teachers.state_dict().items():
        assert torch.equal(value, teacher_before[key]), key
    changed = [k for k, v in model.student.state_dict().items()
               if v.is_floating_point() and not torch.equal(v, student_before[k])]
    assert changed


def test_bfdd_stage_pair_is_logged_and_varies(in_repo):
    from mmengine.logging import MessageHub
    MessageHub.get_instance('frd_training_test')
    torch.manual_seed(0)
    model = MODELS.build(
        tiny_frd_config('bfdd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py').model)
    hub = MessageHub.get_current_instance()
    pairs = set()
    for step in range(4):
        data = model.data_preprocessor(change_batch(seed=step), True)
        model(**data, mode='loss')
        pairs.add((hub.get_scalar('train/bfdd_student_stage').current(),
                   hub.get_scalar('train/bfdd_teacher_stage').current()))
    assert len(pairs) > 1


@pytest.mark.slow
def test_train_tool_runs_frd_on_synthetic_levir(tmp_path, in_repo):
    """tools/train.py on generated LEVIR-format tiles: train, validate, save best F1."""
    import sys
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    from train import main

    from mmkd_rs.datasets.synthetic import generate_synthetic_levir
    data_root = str(tmp_path / 'levir')
    generate_synthetic_levir(data_root, 4, 2, 1, 64, 0)
    cfg = tiny_frd_config('frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
        cfg[loader].num_workers = 0
        cfg[loader].persistent_workers = False
    for step in cfg.train_dataloader.dataset.pipeline:
        if step.type == 'BiTemporalRandomCrop':
            step.crop_size = (64, 64)
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    cfg.default_hooks.logger.interval = 1
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    config = tmp_path / 'frd_tiny.py'
    cfg.dump(str(config))
    work_dir = tmp_path / 'work'
    main([str(config), '--work-dir', str(work_dir)])
    assert (work_dir / 'iter_2.pth').is_file()
    assert list(work_dir.glob('best_F1_iter_2.pth'))
    logs = list(work_dir.glob('*/vis_data/scalars.json'))
    text = logs[0].read_text()
    assert 'distill.loss_bfdd' in text and 'distill.loss_ccrd_contrast' in text
