# DKD (decoupled KD) per pixel: target-class (TCKD) and non-target-class (NCKD)
# KL terms of the class maps, alpha * TCKD + beta * NCKD, T^2-scaled (binary
# classes: NCKD is 0 and DKD is alpha times KD at the same T, see README.md).
# Siamese ResNet-18 (half width) student, siamese ResNet-50 teacher,
# LEVIR-CD 256 crops, 20k iterations.
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam_r50-fpn_levir-cd.py', '../_base_/distillers/dkd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('dkd_distiller'))
