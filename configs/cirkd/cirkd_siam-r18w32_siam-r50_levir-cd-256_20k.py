# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
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
# Batch term at stride 8 (64x64 -> 32x32 positions per image).
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
            type='CIRKDLoss', num_classes=2, student_channels=64, teacher_channels=128,
            temperature=0.1, kd_temperature=1.0, batch_pixel_weight=1.0,
            memory_pixel_weight=0.1, memory_region_weight=0.1, batch_pool=2,
            max_anchors=8192)),
        loss_forward_mappings=dict(loss_cirkd=dict(
            preds_S=dict(from_student=True, recorder='embedding', data_idx=0),
            preds_T=dict(from_student=False, recorder='embedding', data_idx=0),
            gt_seg=dict(from_data='gt_sem_seg')))))

# Teacher checksum into every checkpoint's meta; TeacherEvalHook logs the
# teacher's metrics (teacher/*) once before training.
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
