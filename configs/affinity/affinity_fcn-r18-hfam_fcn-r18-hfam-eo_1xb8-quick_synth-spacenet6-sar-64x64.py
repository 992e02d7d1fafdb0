# Pairwise affinity distillation on the HFAM neck output (one fused 1/4-scale
# map): 16 x 16 pooled (HW)^2 similarity matrices, channel-agnostic.
# EO -> SAR on synthetic SpaceNet 6 pairs (64 px, quick CPU variant): the frozen
# EO teacher (ResNet-18 + HFAM + FCN, `teacher_inputs`) distils into the SAR student
# of the same architecture (`inputs`). Same data, teacher and schedule as
# configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py;
# validation and test are SAR-only.
_base_ = [
    '../hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
    '../_base_/distillers/affinity_sar.py'
]

model = dict(distiller=dict(_base_.pop('affinity_distiller'), _delete_=True))
