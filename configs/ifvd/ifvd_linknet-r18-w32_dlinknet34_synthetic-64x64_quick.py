# IFVD (intra-class feature variation distillation): the map of cosine
# similarity of each pixel's feature to its class prototype (per image, under the
# labels resized to the feature map), student map matched to the teacher's (MSE).
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Everything except `model` comes from the student config (data, schedule, evaluation).
_base_ = ['../tskd/linknet-r18-w32_student_quick_synthetic-64x64.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/tskd/dlinknet34_teacher_quick_synthetic-64x64.py'
teacher_ckpt = 'work_dirs/dlinknet34_teacher_quick_synthetic-64x64/iter_300.pth'

# Quick roads runs only: distill loss off for the first 100 iterations, then a
# linear ramp over 50 (as the other quick road baselines, configs/tskd/README.md).
distill_warmup = dict(begin=100, warmup_iters=50)

# the decoder's full-resolution feature map, the classifier's input
embedding = dict(type='ModuleInputs', source='decode_head.conv_seg')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        loss_weight_schedules=dict(loss_ifvd=distill_warmup),
        student_recorders=dict(embedding=embedding),
        teacher_recorders=dict(embedding=embedding),
        distill_losses=dict(loss_ifvd=dict(type='IFVDLoss', num_classes=2, loss_weight=200.0)),
        loss_forward_mappings=dict(loss_ifvd=dict(
            preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
            preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
            gt_seg=dict(from_data='gt_sem_seg')))))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
