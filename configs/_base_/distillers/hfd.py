# HFD-Net's HFDM: HFDLoss on the HFAM-aligned multi-scale features (the tuple of
# inputs of the neck's fusion conv `neck.fuse`: the 4 pyramid levels aligned to
# 1/4 scale), MSE per scale, mean over scales (per-scale weights are not
# published: `scale_weights` is an option).
# A method config takes the distiller with `distiller=_base_.pop('hfd_distiller')`.
hfam_aligned = dict(type='ModuleInputs', source='neck.fuse')
hfd_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(hfam=hfam_aligned),
    teacher_recorders=dict(hfam=hfam_aligned),
    distill_losses=dict(loss_hfd=dict(
        type='HFDLoss', num_scales=4, scale_weights=None, distance='mse',
        loss_weight=1.0)),
    loss_forward_mappings=dict(loss_hfd=dict(
        preds_S=dict(from_student=True, recorder='hfam', data_idx=0),
        preds_T=dict(from_student=False, recorder='hfam', data_idx=0))))
# No TeacherEvalHook: validation is SAR-only and the EO teacher cannot read it.
custom_hooks = [dict(type='DistillCheckpointHook')]
