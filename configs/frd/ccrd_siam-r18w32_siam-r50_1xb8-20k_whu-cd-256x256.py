# CCRD only (contrastive cluster representation distillation, second half of
# FRD) on the fused change features (FPN level at stride 8: student 64 ch,
# teacher 256 ch). K = 2 prototypes per image (no-change / change) by masked
# average pooling with the change mask; three terms: pixel-to-prototype KL,
# prototype relation MSE, InfoNCE of projected student pixels against teacher
# prototypes. Siamese ResNet-18 (half width) student, siamese ResNet-50
# teacher, WHU-CD 256 crops, 20k iterations.
_base_ = [
    './siam-bestf1_r18w32-fpn_1xb8-20k_whu-cd-256x256.py',
    '../_base_/teachers/siam-bestf1_r50-fpn_whu-cd.py', '../_base_/distillers/ccrd_frd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('ccrd_distiller'))
