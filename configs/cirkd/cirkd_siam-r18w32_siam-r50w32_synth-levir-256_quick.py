# CIRKD (cross-image relational KD): pixel-to-pixel similarity distributions
# across the images of the batch, and pixel-to-pixel / pixel-to-region ones against
# memory banks of teacher embeddings, matched with KL (see configs/cirkd/README.md).
# Quick CPU variant (quick benchmark suite): synthetic LEVIR-CD, 128 crops,
# batch 4, 300 AdamW iterations, siamese ResNet-18 (half width) student,
# siamese ResNet-50 half-width teacher (FPN 128).
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py']

# Train the teacher first with its own config (teacher_config);
# override with --cfg-options model.teacher_ckpt=PATH.
teacher_config = 'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-256.py'
teacher_ckpt = 'work_dirs/siam_r50w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'

# the FPN head's fused feature map (stride 4), before dropout and the classifier
embedding = dict(type='ModuleInputs', source='decode_head.dropout')
# Batch term at stride 8 (32x32 -> 16x16 positions per 128 crop).
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
        student_recorders=dict(embedding=embedding),
        teacher_recorders=dict(embedding=embedding),
        distill_losses=dict(loss_cirkd=dict(
            type='CIRKDLoss', num_classes=2, student_channels=64, teacher_channels=64,
            temperature=0.1, kd_temperature=1.0, batch_pixel_weight=1.0,
            memory_pixel_weight=0.1, memory_region_weight=0.1, batch_pool=2,
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
