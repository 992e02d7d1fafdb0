# IFVD (intra-class feature variation distillation): the map of cosine
# similarity of each pixel's feature to its class prototype (per image, under the
# labels resized to the feature map), student map matched to the teacher's (MSE).
# Siamese ResNet-18 (half width) student, siamese ResNet-50 teacher,
# LEVIR-CD 256 crops, 20k iterations. Everything except `model` comes from the
# student config (data, schedule, evaluation protocol).
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256.py'
teacher_ckpt = 'work_dirs/siam_r50-fpn_1xb8-20k_levir-cd-256/iter_20000.pth'

# the FPN head's fused feature map (stride 4), before dropout and the classifier
embedding = dict(type='ModuleInputs', source='decode_head.dropout')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
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
