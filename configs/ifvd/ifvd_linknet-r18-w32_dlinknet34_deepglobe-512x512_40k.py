# IFVD (intra-class feature variation distillation): the map of cosine
# similarity of each pixel's feature to its class prototype (per image, under the
# labels resized to the feature map), student map matched to the teacher's (MSE).
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: DeepGlobe Roads, 512x512 crops, batch 4, 40k SGD iterations.
# Everything except `model` comes from the student config (data, schedule, evaluation).
_base_ = ['../tskd/linknet-r18-w32_student_4xb4-40k_deepglobe-512x512.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/tskd/dlinknet34_teacher_4xb4-40k_deepglobe-512x512.py'
teacher_ckpt = 'work_dirs/dlinknet34_teacher_4xb4-40k_deepglobe-512x512/iter_40000.pth'

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
