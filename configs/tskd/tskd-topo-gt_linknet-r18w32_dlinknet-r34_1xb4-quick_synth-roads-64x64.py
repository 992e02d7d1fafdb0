# TSKD-Road ablation: task loss + topological space loss vs ground truth only
# (no KD, no mimic, no teacher map; the teacher's encoder is only the
# frozen feature space).
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    loss_weight_schedules=dict(loss_topo=_base_.distill_warmup),
    student_recorders=dict(logits=_base_.recorders.logits),
    teacher_recorders=dict(),
    distill_losses=dict(loss_topo=_base_.topo_loss),
    loss_forward_mappings=dict(loss_topo=dict(preds_S=_base_.student_logits,
                                              gt_seg=_base_.labels))))
