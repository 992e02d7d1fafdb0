# DKD (decoupled KD) per pixel: target-class (TCKD) and non-target-class (NCKD)
# KL terms of the class maps, alpha * TCKD + beta * NCKD, T^2-scaled (binary
# classes: NCKD is 0 and DKD is alpha times KD at the same T, see README.md).
# Quick CPU variant (quick benchmark suite): synthetic LEVIR-CD, 128 crops,
# batch 4, 300 AdamW iterations, siamese ResNet-18 (half width) student,
# siamese ResNet-50 half-width teacher (FPN 128).
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-256.py'
teacher_ckpt = 'work_dirs/siam_r50w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'

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
