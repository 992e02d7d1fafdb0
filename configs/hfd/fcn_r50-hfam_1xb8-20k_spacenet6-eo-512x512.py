# HFD-Net EO teacher: the student's architecture on PS-RGB (labels ignored
# outside the SAR swath). Train it first; the distillation configs load it
# frozen.
_base_ = [
    '../_base_/models/resnet_hfam_fcn.py',
    '../_base_/datasets/spacenet6_eo.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_20k.py'
]
data_preprocessor = dict(mean={{_base_.eo_mean}}, std={{_base_.eo_std}})
# ImageNet-pretrained ResNet-50-V1c encoder (mmseg's)
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(in_channels=3, init_cfg=dict(
        type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')))
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
