# Quick CPU variant of the SAR-only HFD-Net student on synthetic SpaceNet 6
# tiles (python tools/dataset_converters/generate_synthetic_spacenet6.py
# data/synthetic_spacenet6): ResNet-18 at 1/4 width, 300 iterations.
# NOTE: at 1/4 width this network learns the building class slowly: on a
# fixed 8-tile EO batch it still predicts no building after 100 AdamW
# steps where the full-width ResNet-18 (the r18 quick configs next to this
# one) separates buildings in under 60; prefer the r18 variants.
_base_ = [
    '../_base_/models/resnet_hfam_fcn.py',
    '../_base_/datasets/spacenet6_sar_synthetic.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
]
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(depth=18, in_channels=4, stem_channels=16,
                  base_channels=16),
    neck=dict(in_channels=[16, 32, 64, 128], channels=32),
    decode_head=dict(in_channels=32, channels=32))
# tools/test.py --show-dir writes SAR (dB) | EO | ground truth | prediction.
visualizer = dict(type='SAREOVisualizer', name='visualizer',
                  vis_backends=[dict(type='LocalVisBackend')])
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
