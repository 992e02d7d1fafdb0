# MGD (mgd.py) for EO -> SAR on the HFAM neck output (one fused 1/4-scale map):
# random spatial masking of the SAR student's feature, a generation block to
# the EO teacher's channels, MSE. ResNet-50 HFAM: 128 channels (the quick
# ResNet-18 one has 64: its configs set the channels).
# A method config takes the distiller with `distiller=_base_.pop('mgd_distiller')`.
hfam_out = dict(type='ModuleOutputs', source='neck')
mgd_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(hfam_out=hfam_out),
    teacher_recorders=dict(hfam_out=hfam_out),
    distill_losses=dict(loss_mgd=dict(
        type='MGDLoss', student_channels=128, teacher_channels=128, alpha_mgd=2e-5,
        lambda_mgd=0.75, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_mgd=dict(
        preds_S=dict(from_student=True, recorder='hfam_out', data_idx=0),
        preds_T=dict(from_student=False, recorder='hfam_out', data_idx=0))))
