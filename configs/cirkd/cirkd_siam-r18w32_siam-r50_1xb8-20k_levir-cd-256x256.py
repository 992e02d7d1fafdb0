# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# Siamese ResNet-18 (half width) student, siamese ResNet-50 teacher,
# LEVIR-CD 256 crops, 20k iterations.
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
    '../_base_/teachers/siam_r50-fpn_levir-cd.py', '../_base_/distillers/cirkd.py'
]

# Batch term at stride 8 (64x64 -> 32x32 positions per image).
# Memory terms: 8192 random labelled anchor pixels per batch at most.
model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('cirkd_distiller'))
model['distiller']['distill_losses']['loss_cirkd'].update(
    student_channels=64, teacher_channels=128, batch_pool=2, max_anchors=8192)
