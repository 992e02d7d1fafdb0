# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# EO -> SAR on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the frozen
# EO teacher (ResNet-18 + HFAM + FCN, `teacher_inputs`) distils into the SAR student
# of the same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py;
# validation and test are SAR-only.
_base_ = [
    '../hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
    '../_base_/distillers/cirkd.py'
]

# Batch term at full stride 4 (16x16 positions per 64 crop).
# Memory terms: 2048 random labelled anchor pixels per batch at most;
# banks and bank samples 10x / 4x smaller than the paper for CPU runs.
model = dict(distiller=dict(_base_.pop('cirkd_distiller'), _delete_=True))
model['distiller']['distill_losses']['loss_cirkd'].update(
    student_channels=64, teacher_channels=64, batch_pool=1, max_anchors=2048,
    pixel_memory_size=2000, region_memory_size=200, pixel_contrast_size=1024,
    region_contrast_size=256)
