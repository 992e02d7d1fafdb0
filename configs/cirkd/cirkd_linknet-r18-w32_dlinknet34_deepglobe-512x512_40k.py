# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
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
# Batch term on 16x16-pooled maps (512x512 -> 32x32 positions per image).
# Memory terms: 8192 random labelled anchor pixels per batch at most.
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
        distill_losses=dict(loss_cirkd=dict(
            type='CIRKDLoss', num_classes=2, student_channels=16, teacher_channels=32,
            temperature=0.1, kd_temperature=1.0, batch_pixel_weight=1.0,
            memory_pixel_weight=0.1, memory_region_weight=0.1, batch_pool=16,
            max_anchors=8192)),
        loss_forward_mappings=dict(loss_cirkd=dict(
            preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
            preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
            gt_seg=dict(from_data='gt_sem_seg')))))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
