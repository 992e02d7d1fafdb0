# FRD = BFDD + CCRD (bi-temporal feature relational distillation): the BFDD
# config plus the CCRD term of ccrd_siam-r18w32_siam-r50_levir-cd-256_20k.py,
# same options. Siamese ResNet-18 (half width) student, siamese ResNet-50
# teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = ['./bfdd_siam-r18w32_siam-r50_levir-cd-256_20k.py']

fpn = dict(type='ModuleOutputs', source='neck')
model = dict(
    distiller=dict(
        student_recorders=dict(fpn=fpn),
        teacher_recorders=dict(fpn=fpn),
        distill_losses=dict(
            loss_ccrd=dict(
                type='ContrastiveClusterRepresentationLoss',
                student_channels=64,
                teacher_channels=256,
                student_stage=1,
                teacher_stage=1,
                change_feature='fused',
                prototypes='label',
                num_prototypes=2,
                scope='image',
                contrast_negatives='batch',
                tau=0.1,
                pixel_weight=1.0,
                relation_weight=1.0,
                contrast_weight=0.5,
                num_samples=1024,
                balanced_sampling=True,
                label_downsample='nearest',
                return_terms=True,
                loss_weight=1.0)),
        loss_forward_mappings=dict(loss_ccrd=dict(
            preds_S=dict(from_student=True, recorder='fpn'),
            preds_T=dict(from_student=False, recorder='fpn'),
            gt_seg=dict(from_data='gt_sem_seg')))))
