# DisOptNet stage 2 on SpaceNet 6 (512 crops, 20k iterations): the SAR
# network (ResNet-50 encoder; stem + 2 stages shared by a SAR branch and a
# distillation branch, each with its own 2 deep stages + DeepLabV3+ decoder;
# fusion head = the only output at inference; ../_base_/models/disoptnet_r50-d8.py)
# learns from the frozen stage-1 optical teacher
# (configs/disoptnet/deeplabv3plus_r50-d8_1xb8-20k_spacenet6-eo4-512x512.py).
# Losses: decode.* = seg(SAR out, GT), fuse.* = seg(fused, GT) (CE + Dice);
# distill.* = seg(aux, teacher argmax) + pixel KD (T=1) + mean MSE over the
# two deepest encoder stages and the decoder feature. See README.md.
_base_ = [
    '../_base_/models/disoptnet_r50-d8.py',
    '../_base_/datasets/spacenet6_paired.py',
    '../_base_/distillers/disoptnet.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_20k.py'
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

data_preprocessor = dict(
    type='PairedModalityDataPreProcessor',
    mean={{_base_.sar_mean}}, std={{_base_.sar_std}},
    teacher_mean=[103.5, 123.7, 123.7, 116.3], teacher_std=[57.4, 58.4, 58.4, 57.1],
    pad_val=0, seg_pad_val=255, size_divisor=32)
# ImageNet-pretrained ResNet-50-V1c for both branches (the stem conv of the 4-band
# input starts random); the paper starts from ImageNet EfficientNets
student = dict(
    _base_.model, data_preprocessor=data_preprocessor,
    backbone=dict(_base_.model.backbone, init_cfg=dict(
        type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')))
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    data_preprocessor=data_preprocessor,
    student=student,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=_base_.disoptnet_distiller)

default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
