# IFVD (Wang et al. 2020): per image, the cosine similarity of each pixel's
# feature to its class prototype (labels resized to the feature map); the
# student's map is matched to the teacher's (MSE, weight 200). Recorded
# (embedding.py): the head's feature map before dropout and classifier
# (`decode_head.dropout` input); the road heads have no dropout and record
# `decode_head.conv_seg` (their `embedding`).
# A method config takes the distiller with `distiller=_base_.pop('ifvd_distiller')`.
_base_ = ['./embedding.py']
ifvd_distiller = dict(
    _base_.pop('embedding_distiller'),
    distill_losses=dict(loss_ifvd=dict(type='IFVDLoss', num_classes=2, loss_weight=200.0)),
    loss_forward_mappings=dict(loss_ifvd=dict(
        preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
        preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
        gt_seg=dict(from_data='gt_sem_seg'))))
