# MGD (Yang et al. 2022), masked generative distillation on the fused change
# features (FPN level at stride 8, `data_idx=1`): random spatial masking of the
# student feature, a generation block to the teacher's channels, MSE.
# Student FPN 64 channels, teacher FPN 256 (the quick teacher's is 128: its
# configs set `teacher_channels`). Recorded: the FPN outputs of student and
# teacher (fpn.py).
# A method config takes the distiller with `distiller=_base_.pop('mgd_distiller')`.
_base_ = ['./fpn.py']
mgd_distiller = dict(
    _base_.pop('fpn_distiller'),
    distill_losses=dict(loss_mgd=dict(
        type='MGDLoss', student_channels=64, teacher_channels=256, alpha_mgd=2e-5,
        lambda_mgd=0.75, loss_weight=1.0)),
    loss_forward_mappings=dict(loss_mgd=dict(
        preds_S=dict(from_student=True, recorder='fpn', data_idx=1),
        preds_T=dict(from_student=False, recorder='fpn', data_idx=1))))
