# FitNet hint (Romero et al. 2015) on the fused change features: FPN level at
# stride 8 (`data_idx=1`), student 64 -> teacher 256 channels through a trained
# 1x1 conv + BN connector, MSE (the quick teacher's FPN is 128 channels: its
# configs set the connector's `out_channels`). Recorded: the FPN outputs of
# student and teacher (fpn.py).
# A method config takes the distiller with `distiller=_base_.pop('fitnet_distiller')`;
# the road and EO -> SAR hints are fitnet_roads.py and fitnet_sar.py.
_base_ = ['./fpn.py']
fitnet_distiller = dict(
    _base_.pop('fpn_distiller'),
    connectors=dict(hint=dict(type='ConvBNConnector', in_channels=64, out_channels=256)),
    distill_losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)),
    loss_forward_mappings=dict(loss_fitnet=dict(
        preds_S=dict(from_student=True, recorder='fpn', data_idx=1, connector='hint'),
        preds_T=dict(from_student=False, recorder='fpn', data_idx=1))))
