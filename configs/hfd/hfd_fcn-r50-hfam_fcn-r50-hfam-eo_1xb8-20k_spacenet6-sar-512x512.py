# HFD-Net on SpaceNet 6 (512 crops, 20k iterations): the frozen EO teacher
# (ResNet-50 + HFAM + FCN on PS-RGB, `teacher_inputs`) distils into the SAR
# student of the identical architecture (4-band SAR-Intensity in dB,
# `inputs`). HFDM = HFDLoss on the HFAM-aligned multi-scale features (the
# input of `neck.fuse`: the 4 pyramid levels aligned to 1/4 scale, 4 x 128
# channels), MSE per scale, mean over scales (per-scale weights are not
# published: `scale_weights` is an option). Validation / test are SAR-only.
# Train the teacher first (configs/hfd/fcn_r50-hfam_1xb8-20k_spacenet6-eo-512x512.py); run
# from the repository root (student / teacher are named by path).
_base_ = [
    '../_base_/datasets/spacenet6_paired.py', '../_base_/distillers/hfd.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_20k.py'
]
student_config = 'configs/hfd/fcn_r50-hfam_1xb8-20k_spacenet6-sar-512x512.py'
# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/hfd/fcn_r50-hfam_1xb8-20k_spacenet6-eo-512x512.py'
teacher_ckpt = 'work_dirs/fcn_r50-hfam_1xb8-20k_spacenet6-eo-512x512/iter_20000.pth'

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
