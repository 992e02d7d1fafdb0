# TSKD-Road ablation: without the feature mimic (task + pixel KD + topological
# space loss vs ground truth and teacher).
_base_ = ['./tskd_linknet-r18-w32_dlinknet34_synthetic-64x64_quick.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    loss_weight_schedules=dict(loss_kd=_base_.distill_warmup, loss_topo=_base_.distill_warmup),
    student_recorders=dict(logits=_base_.recorders.logits),
    teacher_recorders=dict(logits=_base_.recorders.logits),
    distill_losses=dict(loss_kd=_base_.kd_loss, loss_topo=_base_.topo_loss),
    loss_forward_mappings=dict(loss_kd=_base_.kd_mapping, loss_topo=_base_.topo_mapping)))
