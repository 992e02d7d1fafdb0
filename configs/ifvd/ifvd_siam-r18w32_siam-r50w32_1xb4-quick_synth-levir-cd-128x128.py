# IFVD (intra-class feature variation distillation): the map of cosine
# similarity of each pixel's feature to its class prototype (per image, under the
# labels resized to the feature map), student map matched to the teacher's (MSE).
# Quick CPU variant (quick benchmark suite): synthetic LEVIR-CD, 128 crops,
# batch 4, 300 AdamW iterations, siamese ResNet-18 (half width) student,
# siamese ResNet-50 half-width teacher (FPN 128).
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
    '../_base_/teachers/siam_r50w32-fpn_synth-levir.py', '../_base_/distillers/ifvd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('ifvd_distiller'))
