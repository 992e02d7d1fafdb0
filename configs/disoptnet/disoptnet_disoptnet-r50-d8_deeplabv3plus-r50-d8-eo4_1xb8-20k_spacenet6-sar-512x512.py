# DisOptNet stage 2 on SpaceNet 6 (512 crops, 20k iterations): the SAR
# network (ResNet-50 encoder; stem + 2 stages shared by a SAR branch and a
# distillation branch, each with its own 2 deep stages + DeepLabV3+ decoder;
# fusion head = the only output at inference) learns from the frozen stage-1
# optical teacher (configs/disoptnet/deeplabv3plus_r50-d8_1xb8-20k_spacenet6-eo4-512x512.py).
# Losses: decode.* = seg(SAR out, GT), fuse.* = seg(fused, GT) (CE + Dice);
# distill.* = seg(aux, teacher argmax) + pixel KD (T=1) + mean MSE over the
# two deepest encoder stages and the decoder feature. See README.md.
_base_ = [
    '../_base_/datasets/spacenet6_paired.py',
    '../_base_/distillers/disoptnet.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_20k.py'
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
teacher_config = 'configs/disoptnet/deeplabv3plus_r50-d8_1xb8-20k_spacenet6-eo4-512x512.py'
teacher_ckpt = 'work_dirs/deeplabv3plus_r50-d8_1xb8-20k_spacenet6-eo4-512x512/iter_20000.pth'

norm_cfg = dict(type='BN', requires_grad=True)
seg_losses = _base_.seg_losses
# DeepLabV3+ decoder of each branch; no dropout: its feature feeds the fusion
# head (and is matched to the teacher's decoder feature).
branch_head = dict(
    type='DepthwiseSeparableASPPHead', in_channels=2048, in_index=3,
    channels=512, dilations=(1, 12, 24, 36), c1_in_channels=256, c1_channels=48,
    dropout_ratio=0.0, num_classes=2, norm_cfg=norm_cfg, align_corners=False,
    loss_decode=seg_losses)
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor',
    mean={{_base_.sar_mean}}, std={{_base_.sar_std}},
    teacher_mean=[103.5, 123.7, 123.7, 116.3], teacher_std=[57.4, 58.4, 58.4, 57.1],
    pad_val=0, seg_pad_val=255, size_divisor=32)
student = dict(
    type='DisOptNet',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c', depth=50, in_channels=4, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg, norm_eval=False, style='pytorch',
        contract_dilation=True,
        # ImageNet-pretrained ResNet-50-V1c for both branches (the stem conv of the
        # 4-band input starts random); the paper starts from ImageNet EfficientNets
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')),
    num_shared_stages=2,
    decode_head=branch_head,
    distill_head=branch_head,
    fusion_head=dict(type='DisOptNetFusionHead', in_channels=512, num_classes=2),
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
