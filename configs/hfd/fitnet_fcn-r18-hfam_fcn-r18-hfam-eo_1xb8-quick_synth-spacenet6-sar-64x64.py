# Baseline for HFD-Net: FitNet hint from the frozen EO teacher into the SAR
# student on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the student's
# HFAM output (64 channels, 1/4 scale) goes through a 1x1 conv + BN regressor
# and is matched to the teacher's by L2 (a single, fused scale, where HFD-Net
# matches the 4 aligned scales). Same data, teacher and schedule as
# hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py.
_base_ = [
    './hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
    '../_base_/distillers/fitnet_sar.py'
]
model = dict(distiller=dict(_base_.pop('fitnet_distiller'), _delete_=True))
# the ResNet-18 HFAM output is 64 channels wide
model['distiller']['connectors']['hint'].update(in_channels=64, out_channels=64)
