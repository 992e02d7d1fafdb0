# FitNet hint for roads: MSE on the stride-4 decoder output (student 32 -> teacher
# 64 channels through a 1x1 conv + BN connector).
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

decoder = dict(type='ModuleOutputs', source='backbone.decoders.2')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        loss_weight_schedules=dict(loss_fitnet=distill_warmup),
        student_recorders=dict(decoder=decoder),
        teacher_recorders=dict(decoder=decoder),
        connectors=dict(hint=dict(type='ConvBNConnector', in_channels=32, out_channels=64)),
        distill_losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)),
        loss_forward_mappings=dict(loss_fitnet=dict(
            preds_S=dict(from_student=True, recorder='decoder', connector='hint'),
            preds_T=dict(from_student=False, recorder='decoder')))))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
