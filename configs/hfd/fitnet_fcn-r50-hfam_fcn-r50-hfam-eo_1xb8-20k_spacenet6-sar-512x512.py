# Baseline for HFD-Net: FitNet hint from the frozen EO teacher into the SAR
# student on SpaceNet 6 (512 crops, 20k iterations): the student's
# HFAM output (128 channels, 1/4 scale) goes through a 1x1 conv + BN regressor
# and is matched to the teacher's by L2 (a single, fused scale, where HFD-Net
# matches the 4 aligned scales). Same data, teacher and schedule as
# hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py.
_base_ = [
    './hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
    '../_base_/distillers/fitnet_sar.py'
]
model = dict(distiller=dict(_base_.pop('fitnet_distiller'), _delete_=True))
