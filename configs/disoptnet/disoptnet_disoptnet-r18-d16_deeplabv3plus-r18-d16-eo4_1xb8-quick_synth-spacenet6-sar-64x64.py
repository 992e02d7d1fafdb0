# DisOptNet stage 2, quick CPU variant on synthetic SpaceNet 6 pairs (64 px): the
# network at its quick size (ResNet-18 at output stride 16, DeepLabV3+ decoders of 64
# channels), 300 AdamW iterations at lr 5e-3 (as the SAR-only baseline
# deeplabv3plus_r18-d16_..._spacenet6-sar-64x64.py); otherwise as
# disoptnet_disoptnet-r50-d8_deeplabv3plus-r50-d8-eo4_1xb8-20k_spacenet6-sar-512x512.py
# (teacher: deeplabv3plus_r18-d16_..._spacenet6-eo4-64x64.py).
_base_ = [
    '../_base_/models/disoptnet_r18-d16.py',
    '../_base_/datasets/spacenet6_paired_synthetic.py',
    '../_base_/distillers/disoptnet.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_quick.py'
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
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor',
    mean={{_base_.sar_mean}}, std={{_base_.sar_std}},
    teacher_mean=[64.9, 84.6, 84.6, 110.4], teacher_std=[21.4, 31.0, 31.0, 15.2],
    pad_val=0, seg_pad_val=255, size_divisor=32)
student = dict(_base_.model, data_preprocessor=data_preprocessor)
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    data_preprocessor=data_preprocessor,
    student=student,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=_base_.disoptnet_distiller)

default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
