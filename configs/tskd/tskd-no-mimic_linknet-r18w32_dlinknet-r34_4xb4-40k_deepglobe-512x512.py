# TSKD-Road ablation: without the feature mimic (task + pixel KD + topological
# space loss vs ground truth and teacher).
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_4xb4-40k_deepglobe-512x512.py']

model = dict(distiller=dict(
    _delete_=True,
    type='TSKDDistiller',
    student_recorders=dict(logits=_base_.recorders.logits),
    teacher_recorders=dict(logits=_base_.recorders.logits),
    distill_losses=dict(loss_kd=_base_.kd_loss, loss_topo=_base_.topo_loss),
    loss_forward_mappings=dict(loss_kd=_base_.kd_mapping, loss_topo=_base_.topo_mapping)))
