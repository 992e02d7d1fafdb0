# TSKD-Road ablation: without the feature mimic (task + pixel KD + topological
# space loss vs ground truth and teacher).
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    loss_weight_schedules=dict(loss_kd=_base_.distill_warmup, loss_topo=_base_.distill_warmup),
    student_recorders=dict(logits=_base_.recorders.logits),
    teacher_recorders=dict(logits=_base_.recorders.logits),
    distill_losses=dict(loss_kd=_base_.kd_loss, loss_topo=_base_.topo_loss),
    loss_forward_mappings=dict(loss_kd=_base_.kd_mapping, loss_topo=_base_.topo_mapping)))
