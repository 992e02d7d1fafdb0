# Pairwise affinity distillation (affinity.py) for EO -> SAR: the (HW)^2
# similarity matrices of the HFAM neck output (one fused 1/4-scale map, the
# feature FitNet matches, fitnet_sar.py), average-pooled to 16 x 16.
# Channel-agnostic, so the same config serves the ResNet-18 (64-channel) and
# ResNet-50 (128-channel) HFAM networks.
# A method config takes the distiller with `distiller=_base_.pop('affinity_distiller')`.
hfam_out = dict(type='ModuleOutputs', source='neck')
affinity_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(hfam_out=hfam_out),
    teacher_recorders=dict(hfam_out=hfam_out),
    distill_losses=dict(loss_pair=dict(
        type='PairwiseAffinityLoss', pool_size=(16, 16), loss_weight=1.0)),
    loss_forward_mappings=dict(loss_pair=dict(
        preds_S=dict(from_student=True, recorder='hfam_out', data_idx=0),
        preds_T=dict(from_student=False, recorder='hfam_out', data_idx=0))))
