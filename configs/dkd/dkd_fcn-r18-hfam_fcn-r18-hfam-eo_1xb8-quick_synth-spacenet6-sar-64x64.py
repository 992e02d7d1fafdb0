# DKD (decoupled KD) per pixel: target-class (TCKD) and non-target-class (NCKD)
# KL terms of the class maps, alpha * TCKD + beta * NCKD, T^2-scaled (binary
# classes: NCKD is 0 and DKD is alpha times KD at the same T, see README.md).
# EO -> SAR on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the frozen
# EO teacher (ResNet-18 + HFAM + FCN, `teacher_inputs`) distils into the SAR student
# of the same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py;
# validation and test are SAR-only.
_base_ = [
    '../hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
    '../_base_/distillers/dkd.py'
]

model = dict(distiller=dict(_base_.pop('dkd_distiller'), _delete_=True))
