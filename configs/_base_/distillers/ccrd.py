# CCRD, contrastive cluster representation distillation (second half of FRD), on
# the fused change features (FPN level at stride 8: student 64, teacher 256
# channels; the quick teacher's FPN has 128). K = 2 prototypes per image
# (no-change / change) by masked average pooling with the change mask; three
# terms: pixel-to-prototype KL, prototype relation MSE, InfoNCE of projected
# student pixels against teacher prototypes. Recorded: the FPN outputs of student
# and teacher (fpn.py).
# A method config takes the distiller with `distiller=_base_.pop('ccrd_distiller')`.
_base_ = ['./fpn.py']
ccrd_distiller = dict(
    _base_.pop('fpn_distiller'),
    distill_losses=dict(loss_ccrd=dict(
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
        return_terms=True,       # logs distill.loss_ccrd_{pixel,relation,contrast}
        loss_weight=1.0)),
    loss_forward_mappings=dict(loss_ccrd=dict(
        preds_S=dict(from_student=True, recorder='fpn'),
        preds_T=dict(from_student=False, recorder='fpn'),
        gt_seg=dict(from_data='gt_sem_seg'))))
