# DIST: inter- and intra-class Pearson correlation of the per-pixel class
# probabilities of the FCN classifiers.
# EO -> SAR on SpaceNet 6 (512 crops, 20k iterations): the frozen EO teacher
# (ResNet-50 + HFAM + FCN, `teacher_inputs`) distils into the SAR student of the
# same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py;
# validation and test are SAR-only.
_base_ = [
    '../hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
    '../_base_/distillers/dist.py'
]

model = dict(distiller=dict(_base_.pop('dist_distiller'), _delete_=True))
