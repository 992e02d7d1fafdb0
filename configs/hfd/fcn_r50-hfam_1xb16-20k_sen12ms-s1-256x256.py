# HFD-Net SAR student trained alone on SEN12MS Sentinel-1 (VV, VH in dB),
# 10 DFC2020 land-cover classes (the SAR-only baseline).
_base_ = [
    '../_base_/models/resnet_hfam_fcn.py',
    '../_base_/datasets/sen12ms_s1.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_20k.py'
]
data_preprocessor = dict(mean={{_base_.s1_mean}}, std={{_base_.s1_std}})
# ImageNet-pretrained ResNet-50-V1c encoder (mmseg's); the stem conv of a 2-band input
# has no ImageNet counterpart and starts random (mmengine skips mis-shaped tensors)
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(in_channels=2, init_cfg=dict(
        type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')),
    decode_head=dict(num_classes=10))
# tools/test.py --show-dir writes S1 (dB) | S2 (B4, B3, B2) | truth | pred.
visualizer = dict(eo_rgb_bands=(3, 2, 1))
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
