# Baseline for HFD-Net: vanilla logit KD from the frozen EO teacher into the
# SAR student (identical architecture) on SpaceNet 6 (512 crops, 20k iterations):
# pixel-wise KL of the T=2 softened class maps of the FCN classifiers. Same
# data, teacher and schedule as hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py
# (teacher on `teacher_inputs` = EO, student on `inputs` = SAR).
_base_ = [
    './hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
    '../_base_/distillers/kd.py'
]
model = dict(distiller=dict(_base_.pop('kd_distiller'), _delete_=True))
