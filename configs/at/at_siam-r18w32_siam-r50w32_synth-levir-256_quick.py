# Quick CPU variant (demo and quick benchmark suite): synthetic LEVIR-CD, 128
# crops, batch 4, 300 AdamW iterations, siamese ResNet-50 half-width teacher
# (FPN 128). Same distiller as at_siam-r18w32_siam-r50_levir-cd-256_20k.py.
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-256.py'
teacher_ckpt = 'work_dirs/siam_r50w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'

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
