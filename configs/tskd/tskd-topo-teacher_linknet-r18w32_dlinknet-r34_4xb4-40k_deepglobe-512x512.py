# TSKD-Road ablation: task loss + topological space loss vs the teacher map only
# (no KD, no mimic, no ground-truth topology term).
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_4xb4-40k_deepglobe-512x512.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    student_recorders=dict(logits=_base_.recorders.logits),
    teacher_recorders=dict(logits=_base_.recorders.logits),
    distill_losses=dict(loss_topo=_base_.topo_loss),
    loss_forward_mappings=dict(loss_topo=dict(preds_S=_base_.student_logits,
                                              preds_T=_base_.teacher_logits))))
