# DKD (Zhao et al. 2022), decoupled KD per pixel: alpha * TCKD + beta * NCKD of
# the class maps at T = 1, T^2-scaled (binary classes: NCKD is 0 and DKD is
# alpha times KD at the same T, see configs/dkd/README.md). Recorded (logits.py):
# `decode_head.conv_seg` of student and teacher.
# A method config takes the distiller with `distiller=_base_.pop('dkd_distiller')`.
_base_ = ['./logits.py']
dkd_distiller = dict(
    _base_.pop('logits_distiller'),
    distill_losses=dict(loss_dkd=dict(
        type='DKDLoss', temperature=1.0, alpha=1.0, beta=0.5, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_dkd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'),
        gt_seg=dict(from_data='gt_sem_seg'))))
