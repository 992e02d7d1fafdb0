# DisOptNet stage 2, quick CPU variant on synthetic SpaceNet 6 pairs (64
# px): ResNet-18 at output stride 16, DeepLabV3+ decoders of 64 channels, 300 AdamW iterations
# at lr 5e-3 (as the SAR-only baseline deeplabv3plus_r18-d16_..._spacenet6-sar-64x64.py);
# otherwise as disoptnet_disoptnet-r50-d8_deeplabv3plus-r50-d8-eo4_1xb8-20k_spacenet6-sar-
# 512x512.py (teacher: deeplabv3plus_r18-d16_..._spacenet6-eo4-64x64.py).
_base_ = [
    '../_base_/datasets/spacenet6_paired_synthetic.py',
    '../_base_/distillers/disoptnet.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
]
bgrg = (2, 0, 0, 1)  # the teacher's EO as [B, R, R, G] (as in stage 1)
train_pipeline = _base_.paired_load_pipeline + [
    dict(type='SelectBands', modality='eo', indices=bgrg),
    dict(type='PairedRandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPairedSegInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/disoptnet/deeplabv3plus_r18-d16_1xb8-quick_synth-spacenet6-eo4-64x64.py'
teacher_ckpt = 'work_dirs/deeplabv3plus_r18-d16_1xb8-quick_synth-spacenet6-eo4-64x64/iter_300.pth'

optim_wrapper = dict(optimizer=dict(lr=5e-3))
norm_cfg = dict(type='BN', requires_grad=True)
seg_losses = _base_.seg_losses
# DeepLabV3+ decoder of each branch; no dropout: its feature feeds the fusion
# head (and is matched to the teacher's decoder feature).
branch_head = dict(
    type='DepthwiseSeparableASPPHead', in_channels=512, in_index=3,
    channels=64, dilations=(1, 6, 12, 18), c1_in_channels=64, c1_channels=12,
    dropout_ratio=0.0, num_classes=2, norm_cfg=norm_cfg, align_corners=False,
    loss_decode=seg_losses)
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor',
    mean={{_base_.sar_mean}}, std={{_base_.sar_std}},
    teacher_mean=[64.9, 84.6, 84.6, 110.4], teacher_std=[21.4, 31.0, 31.0, 15.2],
    pad_val=0, seg_pad_val=255, size_divisor=32)
student = dict(
    type='DisOptNet',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c', depth=18, in_channels=4, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 2), strides=(1, 2, 2, 1),  # OS 16
        norm_cfg=norm_cfg, norm_eval=False, style='pytorch',
        contract_dilation=True),
    num_shared_stages=2,
    decode_head=branch_head,
    distill_head=branch_head,
    fusion_head=dict(type='DisOptNetFusionHead', in_channels=64, num_classes=2),
    loss_fuse=seg_losses,
    train_cfg=dict(), test_cfg=dict(mode='whole'))

model = dict(
    type='TeacherStudentDistill',
    data_preprocessor=data_preprocessor,
    student=student,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=_base_.disoptnet_distiller)

# tools/test.py --show-dir writes SAR (dB) | EO | ground truth | prediction.
visualizer = dict(type='SAREOVisualizer', name='visualizer',
                  vis_backends=[dict(type='LocalVisBackend')])
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
