# MGD (masked generative distillation) on the fused change features (FPN level
# at stride 8): the student's 64 channels are aligned to the teacher's 256 by a
# 1x1 conv, 75 % of positions are masked, and a two-conv generator regenerates
# the teacher feature from the rest. Siamese ResNet-18 (half width) student,
# siamese ResNet-50 teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam_r50-fpn_levir-cd.py', '../_base_/distillers/mgd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('mgd_distiller'))
