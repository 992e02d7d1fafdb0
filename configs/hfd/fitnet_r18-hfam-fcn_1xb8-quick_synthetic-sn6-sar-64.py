# Baseline for HFD-Net: FitNet hint from the frozen EO teacher into the SAR
# student on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the student's
# HFAM output (64 channels, 1/4 scale) goes through a 1x1 conv + BN regressor
# and is matched to the teacher's by L2 (a single, fused scale, where HFD-Net
# matches the 4 aligned scales). Same data, teacher and schedule as
# hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py.
_base_ = ['./hfd_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py']
hfam_out = dict(type='ModuleOutputs', source='neck')
model = dict(distiller=dict(
    _delete_=True,
    type='ConfigurableDistiller',
    student_recorders=dict(hfam_out=hfam_out),
    teacher_recorders=dict(hfam_out=hfam_out),
    connectors=dict(hint=dict(type='ConvBNConnector', in_channels=64, out_channels=64)),
    distill_losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)),
    loss_forward_mappings=dict(loss_fitnet=dict(
        preds_S=dict(from_student=True, recorder='hfam_out', data_idx=0, connector='hint'),
        preds_T=dict(from_student=False, recorder='hfam_out', data_idx=0)))))
