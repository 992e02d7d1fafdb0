# TSKD-Road (Geng et al.): pixel KD on the logits + feature mimic (FitNet on the
# stride-4 decoder output, student 32 -> teacher 64 channels) + topological
# space loss, student vs ground truth and vs teacher, in the feature space of
# the frozen teacher's own encoder (ResNet-34 stages 0-2 = depths, input scales
# 1 and 1/2 = widths). See configs/tskd/README.md.
# The building blocks are reused by the ablation configs through `_base_.<name>`;
# a method config takes the distiller with `distiller=_base_.pop('tskd_distiller')`.
recorders = dict(
    logits=dict(type='ModuleOutputs', source='decode_head.conv_seg'),
    decoder=dict(type='ModuleOutputs', source='backbone.decoders.2'))
connectors = dict(mimic=dict(type='ConvBNConnector', in_channels=32, out_channels=64))
kd_loss = dict(type='KDLoss', temperature=2.0, loss_weight=1.0)
mimic_loss = dict(type='FitNetLoss', loss_weight=1.0)
topo_loss = dict(
    type='TopologicalSpaceLoss',
    # the road maps enter the frozen teacher encoder as (p - 0.5) / 0.25 on 3 channels
    feature_net=dict(teacher='teacher', module='backbone.encoder'),
    depths=(0, 1, 2), scales=(1.0, 0.5),
    gt_weight=1.0, teacher_weight=1.0, loss_weight=1.0)
student_logits = dict(from_student=True, recorder='logits')
teacher_logits = dict(from_student=False, recorder='logits')
labels = dict(from_data='gt_sem_seg')
kd_mapping = dict(preds_S=student_logits, preds_T=teacher_logits, gt_seg=labels)
mimic_mapping = dict(preds_S=dict(from_student=True, recorder='decoder', connector='mimic'),
                     preds_T=dict(from_student=False, recorder='decoder'))
topo_mapping = dict(preds_S=student_logits, preds_T=teacher_logits, gt_seg=labels)
tskd_distiller = dict(
    type='TSKDDistiller',
    student_recorders=recorders,
    teacher_recorders=recorders,
    connectors=connectors,
    distill_losses=dict(loss_kd=kd_loss, loss_mimic=mimic_loss, loss_topo=topo_loss),
    loss_forward_mappings=dict(loss_kd=kd_mapping, loss_mimic=mimic_mapping,
                               loss_topo=topo_mapping))
