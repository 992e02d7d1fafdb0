# DIST: Pearson-correlation relations of the change probabilities, between
# classes at each pixel (inter) and between pixels for each class (intra).
# Siamese ResNet-18 (half width) student, siamese ResNet-50 teacher, LEVIR-CD
# 256 crops, 20k iterations.
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256.py'
teacher_ckpt = 'work_dirs/siam_r50-fpn_1xb8-20k_levir-cd-256/iter_20000.pth'

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
        distill_losses=dict(loss_dist=dict(
            type='DISTLoss', beta=1.0, gamma=1.0, tau=1.0, loss_weight=1.0)),
        loss_forward_mappings=dict(loss_dist=dict(
            logits_S=dict(from_student=True, recorder='logits'),
            logits_T=dict(from_student=False, recorder='logits')))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
