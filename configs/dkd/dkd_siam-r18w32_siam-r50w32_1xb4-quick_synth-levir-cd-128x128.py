# DKD (decoupled KD) per pixel: target-class (TCKD) and non-target-class (NCKD)
# KL terms of the class maps, alpha * TCKD + beta * NCKD, T^2-scaled (binary
# classes: NCKD is 0 and DKD is alpha times KD at the same T, see README.md).
# Quick CPU variant (quick benchmark suite): synthetic LEVIR-CD, 128 crops,
# batch 4, 300 AdamW iterations, siamese ResNet-18 (half width) student,
# siamese ResNet-50 half-width teacher (FPN 128).
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
    '../_base_/teachers/siam_r50w32-fpn_synth-levir.py', '../_base_/distillers/dkd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('dkd_distiller'))
