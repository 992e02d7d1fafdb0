# FRD (BFDD + CCRD) for the quick CPU suite and the demo: the quick student
# (siamese ResNet-18 half width + FPN 64) distilled from the quick teacher
# (siamese ResNet-50 half width + FPN 128) on synthetic LEVIR-CD tiles, 128
# crops, batch 4, 300 AdamW iterations. Same losses and options as
# frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py; only the CCRD projector
# follows the quick teacher's FPN width (128).
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
    '../_base_/teachers/siam_r50w32-fpn_synth-levir.py', '../_base_/distillers/bfdd.py',
    '../_base_/distillers/ccrd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('bfdd_distiller'))
model['distiller'].merge(_base_.pop('ccrd_distiller'))
# the CCRD projector follows the quick teacher's FPN width
model['distiller']['distill_losses']['loss_ccrd']['teacher_channels'] = 128
