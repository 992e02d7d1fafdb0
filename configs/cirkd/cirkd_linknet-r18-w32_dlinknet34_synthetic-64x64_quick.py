# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Everything except `model` comes from the student config (data, schedule, evaluation).
_base_ = ['../tskd/linknet-r18-w32_student_quick_synthetic-64x64.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/tskd/dlinknet34_teacher_quick_synthetic-64x64.py'
teacher_ckpt = 'work_dirs/dlinknet34_teacher_quick_synthetic-64x64/iter_300.pth'

# Quick roads runs only: distill loss off for the first 100 iterations, then a
# linear ramp over 50 (as the other quick road baselines, configs/tskd/README.md).
distill_warmup = dict(begin=100, warmup_iters=50)

# the decoder's full-resolution feature map, the classifier's input
embedding = dict(type='ModuleInputs', source='decode_head.conv_seg')
# Batch term on 4x4-pooled maps (64x64 -> 16x16 positions per image).
# Memory terms: 2048 random labelled anchor pixels per batch at most;
# banks and bank samples 10x / 4x smaller than the paper for CPU runs.
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        loss_weight_schedules=dict(loss_cirkd=distill_warmup),
        student_recorders=dict(embedding=embedding),
        teacher_recorders=dict(embedding=embedding),
        distill_losses=dict(loss_cirkd=dict(
            type='CIRKDLoss', num_classes=2, student_channels=16, teacher_channels=32,
            temperature=0.1, kd_temperature=1.0, batch_pixel_weight=1.0,
            memory_pixel_weight=0.1, memory_region_weight=0.1, batch_pool=4,
            max_anchors=2048,
            pixel_memory_size=2000, region_memory_size=200, pixel_contrast_size=1024,
            region_contrast_size=256)),
        loss_forward_mappings=dict(loss_cirkd=dict(
            preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
            preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
            gt_seg=dict(from_data='gt_sem_seg')))))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
