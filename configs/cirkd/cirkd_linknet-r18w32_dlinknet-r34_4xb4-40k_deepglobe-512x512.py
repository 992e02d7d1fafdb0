# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: DeepGlobe Roads, 512x512 crops, batch 4, 40k SGD iterations.
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py',
    '../_base_/teachers/dlinknet34_deepglobe.py', '../_base_/distillers/cirkd_roads.py'
]

# Batch term on 16x16-pooled maps (512x512 -> 32x32 positions per image).
# Memory terms: 8192 random labelled anchor pixels per batch at most.
model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('cirkd_distiller'))
model['distiller']['distill_losses']['loss_cirkd'].update(batch_pool=16, max_anchors=8192)
