# HFD-Net on synthetic SpaceNet 6 pairs (64 px), quick CPU variant: the
# frozen EO teacher (ResNet-18 + HFAM (64 channels) + FCN, PS-RGB from
# `teacher_inputs`) distils into the SAR student of the identical
# architecture (4-band SAR from `inputs`). HFDM = HFDLoss on the
# HFAM-aligned multi-scale features (the input of `neck.fuse`: the 4
# pyramid levels aligned to 1/4 scale, 4 x 64 channels), MSE per scale,
# mean over scales. Validation / test are SAR-only.
# Train the teacher first (configs/hfd/fcn_r18-hfam_..._spacenet6-eo-64x64.py);
# run from the repository root (student / teacher are named by path).
_base_ = [
    '../_base_/datasets/spacenet6_paired_synthetic.py', '../_base_/distillers/hfd.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_quick.py'
]
student_config = 'configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py'
# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-eo-64x64.py'
teacher_ckpt = 'work_dirs/fcn_r18-hfam_1xb8-quick_synth-spacenet6-eo-64x64/iter_300.pth'

# SAR statistics for `inputs`, EO statistics for `teacher_inputs`.
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor',
    mean={{_base_.sar_mean}}, std={{_base_.sar_std}},
    teacher_mean={{_base_.eo_mean}}, teacher_std={{_base_.eo_std}},
    pad_val=0, seg_pad_val=255, size_divisor=32)
model = dict(
    type='TeacherStudentDistill',
    data_preprocessor=data_preprocessor,
    student=student_config,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=_base_.pop('hfd_distiller'))

default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
