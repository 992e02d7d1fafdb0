# TSKD-Road ablation: without the topological space loss (task + pixel KD +
# feature mimic: multi-knowledge KD without topology).
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    loss_weight_schedules=dict(loss_kd=_base_.distill_warmup, loss_mimic=_base_.distill_warmup),
    student_recorders=_base_.recorders,
    teacher_recorders=_base_.recorders,
    connectors=_base_.connectors,
    distill_losses=dict(loss_kd=_base_.kd_loss, loss_mimic=_base_.mimic_loss),
    loss_forward_mappings=dict(loss_kd=_base_.kd_mapping, loss_mimic=_base_.mimic_mapping)))
