# MGD (masked generative distillation) on the fused change features (FPN level
# at stride 8): the student's 64 channels are aligned to the teacher's 256 by a
# 1x1 conv, 75 % of positions are masked, and a two-conv generator regenerates
# the teacher feature from the rest. Siamese ResNet-18 (half width) student,
# siamese ResNet-50 teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256.py'
teacher_ckpt = 'work_dirs/siam_r50-fpn_1xb8-20k_levir-cd-256/iter_20000.pth'

fpn = dict(type='ModuleOutputs', source='neck')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(fpn=fpn),
        teacher_recorders=dict(fpn=fpn),
        distill_losses=dict(loss_mgd=dict(
            type='MGDLoss', student_channels=64, teacher_channels=256, alpha_mgd=2e-5,
            lambda_mgd=0.75, loss_weight=1.0)),
        loss_forward_mappings=dict(loss_mgd=dict(
            preds_S=dict(from_student=True, recorder='fpn', data_idx=1),
            preds_T=dict(from_student=False, recorder='fpn', data_idx=1)))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
