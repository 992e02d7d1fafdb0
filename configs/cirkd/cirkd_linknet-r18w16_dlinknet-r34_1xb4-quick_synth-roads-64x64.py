# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# Student: quarter-width LinkNet-18 (linknet_r18w16_*, decoder output 16 channels as at
# half width); teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../tskd/linknet_r18w16_1xb4-quick_synth-roads-64x64.py',
    '../_base_/teachers/dlinknet34_synthetic-roads.py', '../_base_/distillers/cirkd_roads.py'
]

# Batch term on 4x4-pooled maps (64x64 -> 16x16 positions per image).
# Memory terms: 2048 random labelled anchor pixels per batch at most;
# banks and bank samples 10x / 4x smaller than the paper for CPU runs.
model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(_base_.pop('cirkd_distiller'),
                   loss_weight_schedules=dict(loss_cirkd=_base_.distill_warmup)))
model['distiller']['distill_losses']['loss_cirkd'].update(
    batch_pool=4, max_anchors=2048,
    pixel_memory_size=2000, region_memory_size=200, pixel_contrast_size=1024,
    region_contrast_size=256)
