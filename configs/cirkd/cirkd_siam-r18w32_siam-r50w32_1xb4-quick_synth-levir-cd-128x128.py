# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# Quick CPU variant (quick benchmark suite): synthetic LEVIR-CD, 128 crops,
# batch 4, 300 AdamW iterations, siamese ResNet-18 (half width) student,
# siamese ResNet-50 half-width teacher (FPN 128).
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
    '../_base_/teachers/siam_r50w32-fpn_synth-levir.py', '../_base_/distillers/cirkd.py'
]

# Batch term at stride 8 (32x32 -> 16x16 positions per 128 crop).
# Memory terms: 2048 random labelled anchor pixels per batch at most;
# banks and bank samples 10x / 4x smaller than the paper for CPU runs.
model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('cirkd_distiller'))
model['distiller']['distill_losses']['loss_cirkd'].update(
    student_channels=64, teacher_channels=64, batch_pool=2, max_anchors=2048,
    pixel_memory_size=2000, region_memory_size=200, pixel_contrast_size=1024,
    region_contrast_size=256)
