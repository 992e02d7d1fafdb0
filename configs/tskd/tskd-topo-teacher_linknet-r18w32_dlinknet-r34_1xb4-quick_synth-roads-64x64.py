# TSKD-Road ablation: task loss + topological space loss vs the teacher map only
# (no KD, no mimic, no ground-truth topology term).
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    loss_weight_schedules=dict(loss_topo=_base_.distill_warmup),
    student_recorders=dict(logits=_base_.recorders.logits),
    teacher_recorders=dict(logits=_base_.recorders.logits),
    distill_losses=dict(loss_topo=_base_.topo_loss),
    loss_forward_mappings=dict(loss_topo=dict(preds_S=_base_.student_logits,
                                              preds_T=_base_.teacher_logits))))
