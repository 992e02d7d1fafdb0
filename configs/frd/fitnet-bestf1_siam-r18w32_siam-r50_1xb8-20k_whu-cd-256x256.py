# Baseline of the FRD ablation on WHU-CD: FitNet hint on the FPN level at stride 8, the
# distiller of configs/fitnet/ between this folder's student and teacher (same data and
# schedule as FRD, F1-best checkpoint kept).
_base_ = [
    './siam-bestf1_r18w32-fpn_1xb8-20k_whu-cd-256x256.py',
    '../_base_/teachers/siam-bestf1_r50-fpn_whu-cd.py', '../_base_/distillers/fitnet.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('fitnet_distiller'))
