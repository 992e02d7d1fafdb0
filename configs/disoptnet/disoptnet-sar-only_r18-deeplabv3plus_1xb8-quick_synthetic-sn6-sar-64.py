# Quick CPU variant of the DisOptNet SAR-only baseline on synthetic
# SpaceNet 6 tiles (python tools/dataset_converters/
# generate_synthetic_spacenet6.py data/synthetic_spacenet6): ResNet-18 at
# output stride 16 + DeepLabV3+ (64 channels), CE + class-mean Dice, 300
# AdamW iterations at lr 5e-3. Results: benchmarks/suites/sar_quick.py
# (configs/disoptnet/README.md).
_base_ = [
    '../_base_/models/resnet_deeplabv3plus_dice.py',
    '../_base_/datasets/spacenet6_sar_synthetic.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
]
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(depth=18, in_channels=4,
                  # output stride 16 (the R-50 configs use 8): 4x4 at 64 px
                  strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2)),
    decode_head=dict(in_channels=512, channels=64, c1_in_channels=64,
                     c1_channels=12, dilations=(1, 6, 12, 18)))
optim_wrapper = dict(optimizer=dict(lr=5e-3))
# tools/test.py --show-dir writes SAR (dB) | EO | ground truth | prediction.
visualizer = dict(type='SAREOVisualizer', name='visualizer',
                  vis_backends=[dict(type='LocalVisBackend')])
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
