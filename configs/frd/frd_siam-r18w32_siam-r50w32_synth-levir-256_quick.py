# FRD (BFDD + CCRD) for the quick CPU suite and the demo: the quick student
# (siamese ResNet-18 half width + FPN 64) distilled from the quick teacher
# (siamese ResNet-50 half width + FPN 128) on synthetic LEVIR-CD tiles, 128
# crops, batch 4, 300 AdamW iterations. Same losses and options as
# frd_siam-r18w32_siam-r50_levir-cd-256_20k.py; only the CCRD projector
# follows the quick teacher's FPN width (128).
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-256.py'
teacher_ckpt = 'work_dirs/siam_r50w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'

backbone = dict(type='ModuleOutputs', source='backbone')
fpn = dict(type='ModuleOutputs', source='neck')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(backbone=backbone, fpn=fpn),
        teacher_recorders=dict(backbone=backbone, fpn=fpn),
        distill_losses=dict(
            loss_bfdd=dict(
                type='BiTemporalFeatureDistanceLoss',
                distance='l2',
                map_norm='max',
                match='mse',
                mode='random',
                resize_to='student',
                log_pair=True,
                loss_weight=10.0),
            loss_ccrd=dict(
                type='ContrastiveClusterRepresentationLoss',
                student_channels=64,
                teacher_channels=128,
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
                return_terms=True,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_bfdd=dict(
                preds_S=dict(from_student=True, recorder='backbone'),
                preds_T=dict(from_student=False, recorder='backbone')),
            loss_ccrd=dict(
                preds_S=dict(from_student=True, recorder='fpn'),
                preds_T=dict(from_student=False, recorder='fpn'),
                gt_seg=dict(from_data='gt_sem_seg')))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
