"""A tiny segmentation task for tests of the shared tools.

``write_tiny_dataset`` writes the mmseg-ready layout every converter of the
suite produces (``img_dir/{split}/*.png``, ``ann_dir/{split}/*.png``);
``write_tiny_config`` writes a config that inherits the repository's
``default_runtime.py`` and trains a very small ResNet + FCN on it.
"""
import os.path as osp
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
PYTHON_TOOLS = REPO / 'tools'


def write_tiny_dataset(root, num_train=8, num_val=4, size=32, seed=0):
    """Images with a bright square (class 1) on a noisy background (class 0)."""
    rng = np.random.default_rng(seed)
    root = Path(root)
    for split, n in (('train', num_train), ('val', num_val)):
        (root / 'img_dir' / split).mkdir(parents=True, exist_ok=True)
        (root / 'ann_dir' / split).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            img = rng.integers(0, 80, (size, size, 3), dtype=np.uint8)
            label = np.zeros((size, size), np.uint8)
            y, x = rng.integers(0, size // 2, 2)
            s = size // 3
            img[y:y + s, x:x + s] = rng.integers(170, 255, 3, dtype=np.uint8)
            label[y:y + s, x:x + s] = 1
            Image.fromarray(img).save(root / 'img_dir' / split / f'{i:03d}.png')
            Image.fromarray(label).save(root / 'ann_dir' / split / f'{i:03d}.png')
    return root


TINY_CONFIG = """
_base_ = ['{runtime}']
crop_size = (32, 32)
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(type='SegDataPreProcessor', mean=[60., 60., 60.], std=[50., 50., 50.],
                         bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=crop_size)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='ResNetV1c', depth=18, stem_channels=8, base_channels=8,
                  out_indices=(3, ), norm_cfg=norm_cfg),
    decode_head=dict(type='FCNHead', in_channels=64, in_index=0, channels=16, num_convs=1,
                     concat_input=False, dropout_ratio=0.1, num_classes=2, norm_cfg=norm_cfg,
                     align_corners=False,
                     loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(), test_cfg=dict(mode='whole'))
dataset_type = 'BaseSegDataset'
data_root = '{data_root}'
metainfo = dict(classes=('background', 'square'), palette=[[0, 0, 0], [255, 255, 255]])
train_pipeline = [
    dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
    dict(type='RandomFlip', prob=0.5), dict(type='PackSegInputs')]
test_pipeline = [
    dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'), dict(type='PackSegInputs')]
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, metainfo=metainfo,
                 data_prefix=dict(img_path='img_dir/train', seg_map_path='ann_dir/train'),
                 img_suffix='.png', seg_map_suffix='.png', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=0, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, metainfo=metainfo,
                 data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
                 img_suffix='.png', seg_map_suffix='.png', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end={iters},
                        by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters={iters}, val_interval={iters})
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=1, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval={ckpt_interval}),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    rng_state=dict(type='RNGStateHook'),
    visualization=dict(type='SegVisualizationHook'))
"""


def write_tiny_config(path, data_root, iters=4, ckpt_interval=2, extra=''):
    """Write the tiny config to ``path`` and return it as a string path."""
    runtime = osp.join(REPO, 'configs', '_base_', 'default_runtime.py')
    text = TINY_CONFIG.format(runtime=runtime, data_root=str(data_root), iters=iters,
                              ckpt_interval=ckpt_interval) + extra
    Path(path).write_text(text)
    return str(path)
