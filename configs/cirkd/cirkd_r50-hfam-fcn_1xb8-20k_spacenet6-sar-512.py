# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# EO -> SAR on SpaceNet 6 (512 crops, 20k iterations): the frozen EO teacher
# (ResNet-50 + HFAM + FCN, `teacher_inputs`) distils into the SAR student of the
# same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_r50-hfam-fcn_1xb8-20k_spacenet6-sar-512.py;
# validation and test are SAR-only.
_base_ = ['../hfd/hfd_r50-hfam-fcn_1xb8-20k_spacenet6-sar-512.py']

# the FCN head's feature map (stride 4), before dropout and the classifier
embedding = dict(type='ModuleInputs', source='decode_head.dropout')
# Batch term on 4x4-pooled maps (128x128 -> 32x32 positions per image).
# Memory terms: 8192 random labelled anchor pixels per batch at most.
model = dict(distiller=dict(
    _delete_=True,
    type='ConfigurableDistiller',
    student_recorders=dict(embedding=embedding),
    teacher_recorders=dict(embedding=embedding),
    distill_losses=dict(loss_cirkd=dict(
        type='CIRKDLoss', num_classes=2, student_channels=128, teacher_channels=128,
        temperature=0.1, kd_temperature=1.0, batch_pixel_weight=1.0,
        memory_pixel_weight=0.1, memory_region_weight=0.1, batch_pool=4,
        max_anchors=8192)),
    loss_forward_mappings=dict(loss_cirkd=dict(
        preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
        preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
        gt_seg=dict(from_data='gt_sem_seg')))))
