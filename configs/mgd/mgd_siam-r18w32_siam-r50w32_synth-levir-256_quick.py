# Quick CPU variant (quick benchmark suite): synthetic LEVIR-CD, 128 crops,
# batch 4, 300 AdamW iterations, siamese ResNet-50 half-width teacher (FPN 128).
# Same distiller as mgd_siam-r18w32_siam-r50_levir-cd-256_20k.py at the quick
# teacher's 128 channels.
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py']

# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-256.py'
teacher_ckpt = 'work_dirs/siam_r50w32-fpn_1xb4-quick_synth-levir-256/iter_300.pth'

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
        distill_losses=dict(loss_mgd=dict(
            type='MGDLoss', student_channels=64, teacher_channels=128, alpha_mgd=2e-5,
            lambda_mgd=0.75, loss_weight=1.0)),
        loss_forward_mappings=dict(loss_mgd=dict(
            preds_S=dict(from_student=True, recorder='fpn', data_idx=1),
            preds_T=dict(from_student=False, recorder='fpn', data_idx=1)))))

custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
