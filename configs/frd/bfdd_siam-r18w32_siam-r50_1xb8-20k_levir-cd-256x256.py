# BFDD only (bi-temporal feature distance distillation, first half of FRD):
# per-pixel distance maps ||f_A - f_B|| of one student and one teacher encoder
# stage, drawn at random every iteration, resized bilinearly to the student's
# size, max-normalised and matched by MSE. Channel-agnostic: no connector.
# Siamese ResNet-18 (half width) student, siamese ResNet-50 teacher, LEVIR-CD
# 256 crops, 20k iterations.
_base_ = [
    './siam-bestf1_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam-bestf1_r50-fpn_levir-cd.py', '../_base_/distillers/bfdd_frd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('bfdd_distiller'))
