# Quick CPU variant of the DisOptNet SAR-only baseline on synthetic
# SpaceNet 6 tiles (python tools/dataset_converters/
# generate_synthetic_spacenet6.py data/synthetic_spacenet6): ResNet-18 at
# output stride 16 + DeepLabV3+ (64 channels), CE + class-mean Dice, 300
# AdamW iterations at lr 5e-3. Results: benchmarks/suites/sar_quick.py
# (configs/disoptnet/README.md).
_base_ = [
    '../_base_/models/resnet18_deeplabv3plus_dice.py',
    '../_base_/datasets/spacenet6_sar_synthetic.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_quick.py'
]
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=4))
optim_wrapper = dict(optimizer=dict(lr=5e-3))
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
