# Vanilla KD (Hinton et al. 2015): pixel-wise KL divergence of the class maps
# softened by T = 2, scaled by T^2, ignored pixels (255) left out through the
# labels. Recorded (logits.py): the classifier output `decode_head.conv_seg` of
# student and teacher (every family's segmentor has one).
# A method config takes the distiller with `distiller=_base_.pop('kd_distiller')`
# (configs/README.md: the distiller then appears once, under model.distiller).
_base_ = ['./logits.py']
kd_distiller = dict(
    _base_.pop('logits_distiller'),
    distill_losses=dict(loss_kd=dict(type='KDLoss', temperature=2.0, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_kd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'),
        gt_seg=dict(from_data='gt_sem_seg'))))
