# BFDD only (bi-temporal feature distance distillation, first half of FRD):
# per-pixel distance maps ||f_A - f_B|| of one student and one teacher encoder
# stage, drawn at random every iteration, resized bilinearly to the student's
# size, max-normalised and matched by MSE. Channel-agnostic: no connector.
# Siamese ResNet-18 (half width) student, siamese ResNet-50 teacher, LEVIR-CD
# 256 crops, 20k iterations.
_base_ = ['./student_siam-r18w32_levir-cd-256_20k.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/frd/teacher_siam-r50_levir-cd-256_20k.py'
teacher_ckpt = 'work_dirs/teacher_siam-r50_levir-cd-256_20k/iter_20000.pth'

# The shared encoder's stages, [2B, C_i, h_i, w_i] (first B rows = date A).
backbone = dict(type='ModuleOutputs', source='backbone')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(backbone=backbone),
        teacher_recorders=dict(backbone=backbone),
        distill_losses=dict(
            loss_bfdd=dict(
                type='BiTemporalFeatureDistanceLoss',
                distance='l2',
                normalize_features=False,
                map_norm='max',
                match='mse',
                mode='random',          # iteration-wise random (student, teacher) stage pair
                student_stages=None,    # None = all 4 stages
                teacher_stages=None,
                resize_to='student',
                seed=None,              # None: torch's generator, seeded by `randomness`
                log_pair=True,
                loss_weight=10.0)),
        loss_forward_mappings=dict(loss_bfdd=dict(
            preds_S=dict(from_student=True, recorder='backbone'),
            preds_T=dict(from_student=False, recorder='backbone')))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
