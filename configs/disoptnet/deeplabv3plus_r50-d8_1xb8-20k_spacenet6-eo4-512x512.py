# DisOptNet stage 1: the optical teacher, ResNet-50 + DeepLabV3+ (Dice + CE,
# SGD lr 5e-3, poly) on SpaceNet 6 PS-RGB re-ordered to 4 bands [B, R, R, G]
# so that its stem has the 4 input channels of the SAR network of stage 2
# (configs/disoptnet/disoptnet_disoptnet-r50-d8_deeplabv3plus-r50-d8-eo4_1xb8-20k_
# spacenet6-sar-512x512.py loads it frozen).
_base_ = [
    '../_base_/models/resnet_deeplabv3plus_dice.py',
    '../_base_/datasets/spacenet6_eo.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_20k.py'
]
bgrg = (2, 0, 0, 1)  # [B, R, R, G] from PS-RGB
eo4_load_pipeline = _base_.eo_load_pipeline + [
    dict(type='SelectBands', modality='eo', indices=bgrg)]
train_pipeline = eo4_load_pipeline + [
    dict(type='PairedRandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPairedSegInputs'),
]
test_pipeline = eo4_load_pipeline + [dict(type='PackPairedSegInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
# the EO statistics in [B, R, R, G] order
eo4_mean = [103.5, 123.7, 123.7, 116.3]
eo4_std = [57.4, 58.4, 58.4, 57.1]
data_preprocessor = dict(mean=eo4_mean, std=eo4_std)
# ImageNet-pretrained ResNet-50-V1c encoder (mmseg's); the stem conv of a 4-band input
# has no ImageNet counterpart and starts random (mmengine skips mis-shaped tensors)
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(in_channels=4, init_cfg=dict(
        type='Pretrained', checkpoint='open-mmlab://resnet50_v1c')))
optim_wrapper = dict(optimizer=dict(lr=5e-3))
