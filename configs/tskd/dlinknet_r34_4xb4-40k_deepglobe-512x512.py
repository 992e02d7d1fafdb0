# TSKD-Road teacher (upper bound): D-LinkNet-34 trained alone.
_base_ = [
    '../_base_/models/dlinknet34.py', '../_base_/datasets/deepglobe_roads.py',
    '../_base_/default_runtime_roads.py', '../_base_/schedules/schedule_40k.py'
]
# ImageNet-pretrained ResNet-34 encoder, as D-LinkNet (torchvision's weights; offline,
# --cfg-options model.backbone.encoder.init_cfg.checkpoint=PATH or ...init_cfg=None)
model = dict(backbone=dict(encoder=dict(
    init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet34'))))
