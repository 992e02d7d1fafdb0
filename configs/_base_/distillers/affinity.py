# Pairwise affinity distillation (structured KD, Liu et al. 2019) on the fused
# change features (FPN level at stride 8, `data_idx=1`), average-pooled to
# 16 x 16 before the (HW)^2 similarity matrices. Channel-agnostic.
# Recorded: the FPN outputs of student and teacher (fpn.py).
# A method config takes the distiller with `distiller=_base_.pop('affinity_distiller')`.
_base_ = ['./fpn.py']
affinity_distiller = dict(
    _base_.pop('fpn_distiller'),
    distill_losses=dict(loss_pair=dict(
        type='PairwiseAffinityLoss', pool_size=(16, 16), loss_weight=1.0)),
    loss_forward_mappings=dict(loss_pair=dict(
        preds_S=dict(from_student=True, recorder='fpn', data_idx=1),
        preds_T=dict(from_student=False, recorder='fpn', data_idx=1))))
