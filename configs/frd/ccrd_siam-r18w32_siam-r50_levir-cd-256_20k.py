# CCRD only (contrastive cluster representation distillation, second half of
# FRD) on the fused change features (FPN level at stride 8: student 64 ch,
# teacher 256 ch). K = 2 prototypes per image (no-change / change) by masked
# average pooling with the change mask; three terms: pixel-to-prototype KL,
# prototype relation MSE, InfoNCE of projected student pixels against teacher
# prototypes. Siamese ResNet-18 (half width) student, siamese ResNet-50
# teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = ['./student_siam-r18w32_levir-cd-256_20k.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/frd/teacher_siam-r50_levir-cd-256_20k.py'
teacher_ckpt = 'work_dirs/teacher_siam-r50_levir-cd-256_20k/iter_20000.pth'

# FPN outputs on the fused (|fA - fB|) stages: 4 levels of [B, C, h, w].
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
        distill_losses=dict(
            loss_ccrd=dict(
                type='ContrastiveClusterRepresentationLoss',
                student_channels=64,     # 1x1 projector 64 -> 256 for the InfoNCE term
                teacher_channels=256,
                student_stage=1,         # stride 8: 32 x 32 on 256 crops
                teacher_stage=1,
                change_feature='fused',  # 'diff' = |f_A - f_B| of a backbone recorder
                prototypes='label',      # or 'kmeans' (online clustering of the teacher)
                num_prototypes=2,
                scope='image',
                contrast_negatives='batch',
                tau=0.1,
                pixel_weight=1.0,
                relation_weight=1.0,
                contrast_weight=0.5,
                num_samples=1024,        # pixels per image for the pixel / InfoNCE terms
                balanced_sampling=True,
                label_downsample='nearest',
                return_terms=True,       # logs distill.loss_ccrd_{pixel,relation,contrast}
                loss_weight=1.0)),
        loss_forward_mappings=dict(loss_ccrd=dict(
            preds_S=dict(from_student=True, recorder='fpn'),
            preds_T=dict(from_student=False, recorder='fpn'),
            gt_seg=dict(from_data='gt_sem_seg')))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
