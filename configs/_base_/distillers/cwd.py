# Channel-wise distillation (Shu et al. 2021) of the class logits: per channel,
# a spatial softmax at temperature tau, KL divergence scaled by tau^2
# (tau = 1, loss weight 3).
# Recorded (logits.py): `decode_head.conv_seg` of student and teacher.
# A method config takes the distiller with `distiller=_base_.pop('cwd_distiller')`.
_base_ = ['./logits.py']
cwd_distiller = dict(
    _base_.pop('logits_distiller'),
    distill_losses=dict(
        loss_cwd=dict(type='ChannelWiseDivergence', tau=1.0, loss_weight=3.0)),
    loss_forward_mappings=dict(loss_cwd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'))))
