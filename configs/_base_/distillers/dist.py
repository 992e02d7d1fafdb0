# DIST (Huang et al. 2022): inter- and intra-class Pearson correlation of the
# per-pixel class probabilities (beta = gamma = tau = 1). Recorded (logits.py):
# `decode_head.conv_seg` of student and teacher.
# A method config takes the distiller with `distiller=_base_.pop('dist_distiller')`.
_base_ = ['./logits.py']
dist_distiller = dict(
    _base_.pop('logits_distiller'),
    distill_losses=dict(
        loss_dist=dict(type='DISTLoss', beta=1.0, gamma=1.0, tau=1.0, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_dist=dict(
        logits_S=dict(from_student=True, recorder='logits'),
        logits_T=dict(from_student=False, recorder='logits'))))
