# MTKD (Liu et al., JL1-CD, arXiv:2502.13407): three teachers of the student's
# network, one per change-area-ratio partition of the training set (small /
# medium / large); each sample's change logits are matched (MSE, weight 1e-3 as
# Open-CD's MTKD configs) to those of the teacher of its partition. The method
# config sets the routing (`routing=dict(teachers=..., thresholds=...)`).
# Recorded (logits.py): `decode_head.conv_seg` of student and teachers.
# A method config takes the distiller with `distiller=_base_.pop('mtkd_distiller')`.
_base_ = ['./logits.py']
partitions = ('small', 'medium', 'large')
mtkd_distiller = dict(
    _base_.pop('logits_distiller'),
    type='MTKDDistiller',
    distill_losses=dict(loss_mtkd=dict(type='FitNetLoss', loss_weight=0.001)),
    loss_forward_mappings=dict(loss_mtkd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits', reduce='route'))))
# The teacher hooks a teacher base sets (configs/_base_/teachers/): every teacher's
# sha256 in the checkpoints' meta, the teachers' validation metrics before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
