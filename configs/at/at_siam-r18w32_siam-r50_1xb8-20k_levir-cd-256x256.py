# Attention transfer on the shared encoder's last three stages (both dates:
# the encoder sees them stacked on the batch axis). Attention maps are
# channel-agnostic, so no connector. Siamese ResNet-18 (half width) student,
# siamese ResNet-50 teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam_r50-fpn_levir-cd.py', '../_base_/distillers/at.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('at_distiller'))
