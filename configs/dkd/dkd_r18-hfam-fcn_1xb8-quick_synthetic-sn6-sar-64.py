# DKD (decoupled KD) per pixel: target-class (TCKD) and non-target-class (NCKD)
# KL terms of the class maps, alpha * TCKD + beta * NCKD, T^2-scaled (binary
# classes: NCKD is 0 and DKD is alpha times KD at the same T, see README.md).
# EO -> SAR on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the frozen
# EO teacher (ResNet-18 + HFAM + FCN, `teacher_inputs`) distils into the SAR student
# of the same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py;
# validation and test are SAR-only.
_base_ = ['../hfd/hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py']

logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(distiller=dict(
    _delete_=True,
    type='ConfigurableDistiller',
    student_recorders=dict(logits=logits),
    teacher_recorders=dict(logits=logits),
    distill_losses=dict(loss_dkd=dict(
        type='DKDLoss', temperature=1.0, alpha=1.0, beta=0.5, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_dkd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'),
        gt_seg=dict(from_data='gt_sem_seg')))))
