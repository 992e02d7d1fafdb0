# HFD-Net's network trained alone at full scale, whatever the data: ResNet-50-V1c +
# HFAM + FCN (../models/resnet_hfam_fcn.py) with the encoder from ImageNet, SGD for
# 20k iterations, the EO -> SAR runtime and its visualization hook. The configs of
# configs/hfd/ that train it (SpaceNet 6 SAR and EO, SEN12MS S1 and S2) add a dataset
# base, its statistics (data_preprocessor) and the band count (backbone.in_channels).
_base_ = [
    '../models/resnet_hfam_fcn.py', '../default_runtime_sar_eo.py',
    '../schedules/schedule_20k.py'
]
# ImageNet-pretrained ResNet-50-V1c encoder (mmseg's); the stem conv of an input of
# other than 3 bands has no ImageNet counterpart and starts random (mmengine skips
# mis-shaped tensors)
model = dict(backbone=dict(
    init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')))
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
