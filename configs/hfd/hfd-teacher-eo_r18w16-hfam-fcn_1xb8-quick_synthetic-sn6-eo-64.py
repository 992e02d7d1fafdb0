# Quick CPU variant of the HFD-Net EO teacher on synthetic SpaceNet 6 tiles
# (same network as the quick SAR student, 3-band PS-RGB input).
# NOTE: at 1/4 width this network learns the building class slowly: on a
# fixed 8-tile EO batch it still predicts no building after 100 AdamW
# steps where the full-width ResNet-18 (the r18 quick configs next to this
# one) separates buildings in under 60; prefer the r18 variants.
_base_ = [
    '../_base_/models/resnet_hfam_fcn.py',
    '../_base_/datasets/spacenet6_eo_synthetic.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
]
data_preprocessor = dict(mean={{_base_.eo_mean}}, std={{_base_.eo_std}})
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(depth=18, in_channels=3, stem_channels=16,
                  base_channels=16),
    neck=dict(in_channels=[16, 32, 64, 128], channels=32),
    decode_head=dict(in_channels=32, channels=32))
# tools/test.py --show-dir writes SAR (dB) | EO | ground truth | prediction.
visualizer = dict(type='SAREOVisualizer', name='visualizer',
                  vis_backends=[dict(type='LocalVisBackend')])
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
