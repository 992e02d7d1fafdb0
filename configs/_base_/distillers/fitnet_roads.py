# FitNet hint (Romero et al. 2015) for roads: MSE on the stride-4 LinkNet decoder
# output `backbone.decoders.2` (student 32 -> teacher 64 channels through a
# trained 1x1 conv + BN connector).
# A method config takes the distiller with `distiller=_base_.pop('fitnet_distiller')`.
decoder = dict(type='ModuleOutputs', source='backbone.decoders.2')
fitnet_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(decoder=decoder),
    teacher_recorders=dict(decoder=decoder),
    connectors=dict(hint=dict(type='ConvBNConnector', in_channels=32, out_channels=64)),
    distill_losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)),
    loss_forward_mappings=dict(loss_fitnet=dict(
        preds_S=dict(from_student=True, recorder='decoder', connector='hint'),
        preds_T=dict(from_student=False, recorder='decoder'))))
