# FRD + pixel-wise KD on the change logits (the optional third term): the FRD
# config plus the KDLoss of configs/kd (temperature 2, weight 1).
_base_ = ['./frd_siam-r18w32_siam-r50_levir-cd-256_20k.py']

logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(
    distiller=dict(
        student_recorders=dict(logits=logits),
        teacher_recorders=dict(logits=logits),
        distill_losses=dict(loss_kd=dict(type='KDLoss', temperature=2.0, loss_weight=1.0)),
        loss_forward_mappings=dict(loss_kd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'),
            gt_seg=dict(from_data='gt_sem_seg')))))
