# Baseline for HFD-Net: vanilla logit KD from the frozen EO teacher into the
# SAR student (identical architecture) on synthetic SpaceNet 6 pairs (64 px, quick
# CPU variant): pixel-wise KL of the T=2 softened class maps of the FCN classifiers.
# Same data, teacher and schedule as
# hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py
# (teacher on `teacher_inputs` = EO, student on `inputs` = SAR).
_base_ = [
    './hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
    '../_base_/distillers/kd.py'
]
model = dict(distiller=dict(_base_.pop('kd_distiller'), _delete_=True))
