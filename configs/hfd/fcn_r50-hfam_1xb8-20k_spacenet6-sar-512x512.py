# HFD-Net SAR student trained alone (the "SAR-only" / student baseline):
# the same network as the EO teacher, on 4-band SAR-Intensity (dB).
_base_ = [
    '../_base_/models/resnet_hfam_fcn.py',
    '../_base_/datasets/spacenet6_sar.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_20k.py'
]
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
# ImageNet-pretrained ResNet-50-V1c encoder (mmseg's); the stem conv of a 4-band input
# has no ImageNet counterpart and starts random (mmengine skips mis-shaped tensors)
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(in_channels=4, init_cfg=dict(
        type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')))
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
