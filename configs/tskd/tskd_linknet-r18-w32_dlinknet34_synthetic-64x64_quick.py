# TSKD-Road (full): task loss (CE + Dice) + pixel KD on the logits + feature mimic
# (FitNet on the stride-4 decoder output, student 32 -> teacher 64 channels) +
# topological space loss, student vs ground truth and vs teacher, in the feature
# space of the frozen teacher's own encoder (ResNet-34 stages 0-2 = depths,
# input scales 1 and 1/2 = widths). See README.md.
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Everything except `model` comes from the student config (data, schedule, evaluation).
_base_ = ['./linknet-r18-w32_student_quick_synthetic-64x64.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/tskd/dlinknet34_teacher_quick_synthetic-64x64.py'
teacher_ckpt = 'work_dirs/dlinknet34_teacher_quick_synthetic-64x64/iter_300.pth'

# Quick runs only: distill losses off for the first 100 iterations, then a linear ramp
# over 50 (without it the distilled students kept predicting all background until about
# iteration 250 of 300; see README.md).
distill_warmup = dict(begin=100, warmup_iters=50)

# Building blocks, reused by the ablation configs through `_base_.<name>`.
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

model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='TSKDDistiller',
        loss_weight_schedules=dict(
            loss_kd=distill_warmup, loss_mimic=distill_warmup, loss_topo=distill_warmup),
        student_recorders=recorders,
        teacher_recorders=recorders,
        connectors=connectors,
        distill_losses=dict(loss_kd=kd_loss, loss_mimic=mimic_loss, loss_topo=topo_loss),
        loss_forward_mappings=dict(loss_kd=kd_mapping, loss_mimic=mimic_mapping,
                                   loss_topo=topo_mapping)))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
