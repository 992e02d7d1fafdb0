# Baseline for HFD-Net: vanilla logit KD from the frozen EO teacher into the
# SAR student (identical architecture) on synthetic SpaceNet 6 pairs (64 px, quick CPU variant):
# pixel-wise KL of the T=2 softened class maps of the FCN classifiers. Same
# data, teacher and schedule as hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py
# (teacher on `teacher_inputs` = EO, student on `inputs` = SAR).
_base_ = ['./hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py']
logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(distiller=dict(
    _delete_=True,
    type='ConfigurableDistiller',
    student_recorders=dict(logits=logits),
    teacher_recorders=dict(logits=logits),
    distill_losses=dict(loss_kd=dict(type='KDLoss', temperature=2.0, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_kd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'),
        gt_seg=dict(from_data='gt_sem_seg')))))
