# MGD (mgd.py) for roads on the stride-4 LinkNet decoder output
# `backbone.decoders.2`: random spatial masking of the student feature, a
# generation block to the teacher's channels, MSE. Quarter-width LinkNet-18
# student 16 channels, D-LinkNet-34 teacher 64.
# A method config takes the distiller with `distiller=_base_.pop('mgd_distiller')`.
decoder = dict(type='ModuleOutputs', source='backbone.decoders.2')
mgd_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(decoder=decoder),
    teacher_recorders=dict(decoder=decoder),
    distill_losses=dict(loss_mgd=dict(
        type='MGDLoss', student_channels=16, teacher_channels=64, alpha_mgd=2e-5,
        lambda_mgd=0.75, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_mgd=dict(
        preds_S=dict(from_student=True, recorder='decoder'),
        preds_T=dict(from_student=False, recorder='decoder'))))
