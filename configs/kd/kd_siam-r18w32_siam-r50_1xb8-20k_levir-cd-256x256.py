# Vanilla KD (pixel-wise KL of temperature-softened change/no-change logits):
# siamese ResNet-18 (half width) student, siamese ResNet-50 teacher, LEVIR-CD
# 256 crops, 20k iterations.
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam_r50-fpn_levir-cd.py', '../_base_/distillers/kd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('kd_distiller'))
