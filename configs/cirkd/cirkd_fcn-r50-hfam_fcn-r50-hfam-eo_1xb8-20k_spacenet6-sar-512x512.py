# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# EO -> SAR on SpaceNet 6 (512 crops, 20k iterations): the frozen EO teacher
# (ResNet-50 + HFAM + FCN, `teacher_inputs`) distils into the SAR student of the
# same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py;
# validation and test are SAR-only.
_base_ = [
    '../hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
    '../_base_/distillers/cirkd.py'
]

# Batch term on 4x4-pooled maps (128x128 -> 32x32 positions per image).
# Memory terms: 8192 random labelled anchor pixels per batch at most.
model = dict(distiller=dict(_base_.pop('cirkd_distiller'), _delete_=True))
model['distiller']['distill_losses']['loss_cirkd'].update(
    student_channels=128, teacher_channels=128, batch_pool=4, max_anchors=8192)
