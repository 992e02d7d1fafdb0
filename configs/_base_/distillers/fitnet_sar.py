# FitNet hint (Romero et al. 2015) for EO -> SAR: the HFAM neck output (one
# fused 1/4-scale map, where HFD-Net matches the 4 aligned scales) through a
# trained 1x1 conv + BN regressor, L2 to the teacher's. ResNet-50 HFAM: 128
# channels (the quick ResNet-18 one has 64: its configs set the connector).
# A method config takes the distiller with `distiller=_base_.pop('fitnet_distiller')`.
hfam_out = dict(type='ModuleOutputs', source='neck')
fitnet_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(hfam_out=hfam_out),
    teacher_recorders=dict(hfam_out=hfam_out),
    connectors=dict(hint=dict(type='ConvBNConnector', in_channels=128, out_channels=128)),
    distill_losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)),
    loss_forward_mappings=dict(loss_fitnet=dict(
        preds_S=dict(from_student=True, recorder='hfam_out', data_idx=0, connector='hint'),
        preds_T=dict(from_student=False, recorder='hfam_out', data_idx=0))))
