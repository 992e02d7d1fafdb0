# Teacher: siamese ResNet-50-V1c + FPN on LEVIR-CD, 256 crops, batch 8, 20k SGD
# iterations; evaluated on whole 1024 tiles with sliding 256 windows, stride
# 256, no TTA (the locked protocol, see README.md).
_base_ = [
    '../_base_/models/siam_r50-fpn.py', '../_base_/datasets/levir_cd.py',
    '../_base_/default_runtime_changedet.py', '../_base_/schedules/schedule_20k.py'
]
# ImageNet-pretrained ResNet-50-V1c encoder, as mmseg's ResNet models (downloaded once
# into torch's hub cache; offline: model.backbone.init_cfg.checkpoint=PATH or
# model.backbone.init_cfg=None with --cfg-options)
model = dict(backbone=dict(
    init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')))
