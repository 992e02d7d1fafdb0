# FitNet hint on the fused change features (FPN level at stride 8): the
# student's 64 channels go through a 1x1 conv + BN connector to the teacher's
# 256 and are matched by L2. Siamese ResNet-18 (half width) student, siamese
# ResNet-50 teacher, LEVIR-CD 256 crops, 20k iterations.
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
        connectors=dict(hint=dict(type='ConvBNConnector', in_channels=64, out_channels=256)),
        distill_losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)),
        loss_forward_mappings=dict(loss_fitnet=dict(
            preds_S=dict(from_student=True, recorder='fpn', data_idx=1, connector='hint'),
            preds_T=dict(from_student=False, recorder='fpn', data_idx=1)))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
