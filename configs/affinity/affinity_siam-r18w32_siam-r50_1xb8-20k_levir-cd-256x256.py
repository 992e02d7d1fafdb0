# Pair-wise (structured) distillation: cosine affinity between all positions of
# the fused change features (FPN level at stride 8), average-pooled to 16 x 16
# nodes to bound memory. Channel-agnostic, no connector. Siamese ResNet-18
# (half width) student, siamese ResNet-50 teacher, LEVIR-CD 256 crops, 20k.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam_r50-fpn_levir-cd.py', '../_base_/distillers/affinity.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('affinity_distiller'))
