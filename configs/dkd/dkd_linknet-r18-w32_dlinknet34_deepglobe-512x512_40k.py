# DKD (decoupled KD) per pixel: target-class (TCKD) and non-target-class (NCKD)
# KL terms of the class maps, alpha * TCKD + beta * NCKD, T^2-scaled (binary
# classes: NCKD is 0 and DKD is alpha times KD at the same T, see README.md).
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: DeepGlobe Roads, 512x512 crops, batch 4, 40k SGD iterations.
# Everything except `model` comes from the student config (data, schedule, evaluation).
_base_ = ['../tskd/linknet-r18-w32_student_4xb4-40k_deepglobe-512x512.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/tskd/dlinknet34_teacher_4xb4-40k_deepglobe-512x512.py'
teacher_ckpt = 'work_dirs/dlinknet34_teacher_4xb4-40k_deepglobe-512x512/iter_40000.pth'

logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(logits=logits),
        teacher_recorders=dict(logits=logits),
        distill_losses=dict(loss_dkd=dict(
            type='DKDLoss', temperature=1.0, alpha=1.0, beta=0.5, loss_weight=1.0)),
        loss_forward_mappings=dict(loss_dkd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'),
            gt_seg=dict(from_data='gt_sem_seg')))))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
