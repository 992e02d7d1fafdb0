# BFDD, bi-temporal feature distance distillation (first half of FRD): per-pixel
# distance maps ||f_A - f_B|| of one student and one teacher encoder stage,
# drawn at random every iteration ('random'; 'all' averages the 4 x 4 stage
# pairs), resized bilinearly to the student's size, max-normalised and matched
# by MSE. Channel-agnostic: no connector. Recorded: the shared encoder's stages
# `backbone`, [2B, C_i, h_i, w_i] (first B rows = date A).
# A method config takes the distiller with `distiller=_base_.pop('bfdd_distiller')`.
backbone = dict(type='ModuleOutputs', source='backbone')
bfdd_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(backbone=backbone),
    teacher_recorders=dict(backbone=backbone),
    distill_losses=dict(loss_bfdd=dict(
        type='BiTemporalFeatureDistanceLoss',
        distance='l2',
        map_norm='max',
        match='mse',
        mode='random',
        resize_to='student',
        log_pair=True,  # logs the drawn (student, teacher) stage pair
        loss_weight=10.0)),
    loss_forward_mappings=dict(loss_bfdd=dict(
        preds_S=dict(from_student=True, recorder='backbone'),
        preds_T=dict(from_student=False, recorder='backbone'))))
