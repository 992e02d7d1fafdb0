# Attention transfer on the shared encoder's last three stages (both dates:
# the encoder sees them stacked on the batch axis). Attention maps are
# channel-agnostic, so no connector. Siamese ResNet-18 (half width) student,
# siamese ResNet-50 teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256.py'
teacher_ckpt = 'work_dirs/siam_r50-fpn_1xb8-20k_levir-cd-256/iter_20000.pth'

stages = ('layer2', 'layer3', 'layer4')
recorders = {s: dict(type='ModuleOutputs', source=f'backbone.{s}') for s in stages}
model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=_base_.model,
    teacher=teacher_config,
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=recorders,
        teacher_recorders=recorders,
        distill_losses={f'loss_at_{s}': dict(type='ATLoss', p=2.0, loss_weight=1.0)
                        for s in stages},
        loss_forward_mappings={f'loss_at_{s}': dict(
            preds_S=dict(from_student=True, recorder=s),
            preds_T=dict(from_student=False, recorder=s)) for s in stages}))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
