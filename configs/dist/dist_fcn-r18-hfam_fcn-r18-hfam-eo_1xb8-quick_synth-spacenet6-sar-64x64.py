# DIST: inter- and intra-class Pearson correlation of the per-pixel class
# probabilities of the FCN classifiers.
# EO -> SAR on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the frozen
# EO teacher (ResNet-18 + HFAM + FCN, `teacher_inputs`) distils into the SAR student
# of the same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py;
# validation and test are SAR-only.
_base_ = [
    '../hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
    '../_base_/distillers/dist.py'
]

model = dict(distiller=dict(_base_.pop('dist_distiller'), _delete_=True))
