# Quick CPU variant of MTKD step 3: synthetic LEVIR-CD, 128 crops, batch 4, 300 AdamW
# iterations; the siamese ResNet-18 (half width) student, initialised from its quick
# run, distilled per sample from the quick teacher of its CAR partition
# (mtkd-teacher-{small,medium,large}_siam-r18w32-fpn_1xb4-quick_synth-levir-256.py).
# Same distiller as mtkd_siam-r18w32_3xsiam-r18w32_levir-cd-256_20k.py, with the quick
# thresholds 0.035 / 0.05.
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py']

car_thresholds = (0.035, 0.05)
partitions = ('small', 'medium', 'large')
# (--cfg-options model.student.init_cfg=None starts from scratch instead)
student_ckpt = 'work_dirs/siam_r18w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'
# override with --cfg-options model.teachers.small.ckpt=PATH (and medium, large)
teacher_config = 'configs/mtkd/mtkd-teacher-{}_siam-r18w32-fpn_1xb4-quick_synth-levir-256.py'
teacher_ckpt = 'work_dirs/mtkd-teacher-{}_siam-r18w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'

logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=dict(_base_.model, init_cfg=dict(type='Pretrained', checkpoint=student_ckpt)),
    teachers={p: dict(cfg=teacher_config.format(p), ckpt=teacher_ckpt.format(p))
              for p in partitions},
    distiller=dict(
        type='MTKDDistiller',
        routing=dict(teachers=list(partitions), thresholds=car_thresholds),
        student_recorders=dict(logits=logits),
        teacher_recorders=dict(logits=logits),
        distill_losses=dict(loss_mtkd=dict(type='FitNetLoss', loss_weight=0.001)),
        loss_forward_mappings=dict(loss_mtkd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits', reduce='route')))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
