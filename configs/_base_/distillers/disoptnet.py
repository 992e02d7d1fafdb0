# DisOptNet stage 2: the distiller between the student's distillation branch
# and the frozen stage-1 teacher. Shared by the stage-2 configs in configs/disoptnet/
# (model.distiller=_base_.disoptnet_distiller), which take the network from
# ../models/disoptnet_r50-d8.py (or its quick size, disoptnet_r18-d16.py).
gt = dict(from_data='gt_sem_seg')
disoptnet_distiller = dict(
    type='ConfigurableDistiller',
    # distillation branch of the student <-> the frozen teacher
    student_recorders=dict(
        logits=dict(type='ModuleOutputs', source='distill_head.conv_seg'),
        stage3=dict(type='ModuleOutputs', source='distill_stages.layer3'),
        stage4=dict(type='ModuleOutputs', source='distill_stages.layer4'),
        decoder=dict(type='ModuleInputs', source='distill_head.conv_seg')),
    teacher_recorders=dict(
        logits=dict(type='ModuleOutputs', source='decode_head.conv_seg'),
        stage3=dict(type='ModuleOutputs', source='backbone.layer3'),
        stage4=dict(type='ModuleOutputs', source='backbone.layer4'),
        decoder=dict(type='ModuleInputs', source='decode_head.conv_seg')),
    distill_losses=dict(
        # seg(aux, teacher argmax) with the network's own pair of losses, CE + Dice
        # averaged over classes (the `seg_losses` of ../models/disoptnet_r50-d8.py)
        loss_aux_seg=dict(type='TeacherArgmaxSegLoss', seg_losses=[
            dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
            dict(type='ClassMeanDiceLoss', loss_weight=1.0)]),
        # pixel KD (aux vs teacher, T = 1)
        loss_aux_kd=dict(type='KDLoss', temperature=1.0, loss_weight=1.0),
        # mean MSE over the 3 matched features: weights 1/3 each
        loss_feat_stage3=dict(type='FitNetLoss', loss_weight=1 / 3),
        loss_feat_stage4=dict(type='FitNetLoss', loss_weight=1 / 3),
        loss_feat_decoder=dict(type='FitNetLoss', loss_weight=1 / 3)),
    loss_forward_mappings=dict(
        loss_aux_seg=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'), gt_seg=gt),
        loss_aux_kd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'), gt_seg=gt),
        loss_feat_stage3=dict(
            preds_S=dict(from_student=True, recorder='stage3'),
            preds_T=dict(from_student=False, recorder='stage3')),
        loss_feat_stage4=dict(
            preds_S=dict(from_student=True, recorder='stage4'),
            preds_T=dict(from_student=False, recorder='stage4')),
        loss_feat_decoder=dict(
            preds_S=dict(from_student=True, recorder='decoder', data_idx=0),
            preds_T=dict(from_student=False, recorder='decoder', data_idx=0))))

# No TeacherEvalHook: validation is SAR-only and the teacher reads EO.
custom_hooks = [dict(type='DistillCheckpointHook')]
