# IFVD (intra-class feature variation distillation): the map of cosine
# similarity of each pixel's feature to its class prototype (per image, under the
# labels resized to the feature map), student map matched to the teacher's (MSE).
# EO -> SAR on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the frozen
# EO teacher (ResNet-18 + HFAM + FCN, `teacher_inputs`) distils into the SAR student
# of the same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py;
# validation and test are SAR-only.
_base_ = ['../hfd/hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py']

# the FCN head's feature map (stride 4), before dropout and the classifier
embedding = dict(type='ModuleInputs', source='decode_head.dropout')
model = dict(distiller=dict(
    _delete_=True,
    type='ConfigurableDistiller',
    student_recorders=dict(embedding=embedding),
    teacher_recorders=dict(embedding=embedding),
    distill_losses=dict(loss_ifvd=dict(type='IFVDLoss', num_classes=2, loss_weight=200.0)),
    loss_forward_mappings=dict(loss_ifvd=dict(
        preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
        preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
        gt_seg=dict(from_data='gt_sem_seg')))))
