# CIRKD (Yang et al. 2022), cross-image relational KD: pixel-to-pixel similarity
# distributions across the batch and against memory banks of teacher pixel and
# region embeddings, matched with KL (configs/cirkd/README.md). Paper values:
# tau 0.1, T 1, weights 1 / 0.1 / 0.1, banks 20000 / 2000 per class. Each method
# config sets the embedding widths (`student_channels`, `teacher_channels`),
# `batch_pool` and `max_anchors` (and smaller banks for the quick runs).
# Recorded (embedding.py): the head's feature map before dropout and classifier;
# the road heads have no dropout and record `decode_head.conv_seg` (their `embedding`).
# A method config takes the distiller with `distiller=_base_.pop('cirkd_distiller')`.
_base_ = ['./embedding.py']
cirkd_distiller = dict(
    _base_.pop('embedding_distiller'),
    distill_losses=dict(loss_cirkd=dict(
        type='CIRKDLoss', num_classes=2, temperature=0.1, kd_temperature=1.0,
        batch_pixel_weight=1.0, memory_pixel_weight=0.1, memory_region_weight=0.1)),
    loss_forward_mappings=dict(loss_cirkd=dict(
        preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
        preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
        gt_seg=dict(from_data='gt_sem_seg'))))
