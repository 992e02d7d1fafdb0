# Quick CPU variant (demo and quick benchmark suite): synthetic LEVIR-CD, 128
# crops, batch 4, 300 AdamW iterations, siamese ResNet-50 half-width teacher
# (FPN 128). Same distiller as kd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
    '../_base_/teachers/siam_r50w32-fpn_synth-levir.py', '../_base_/distillers/kd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('kd_distiller'))
