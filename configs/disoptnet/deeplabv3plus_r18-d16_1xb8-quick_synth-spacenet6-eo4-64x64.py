# DisOptNet stage 1, quick CPU variant on synthetic SpaceNet 6 tiles (64 px):
# ResNet-18 (output stride 16) + DeepLabV3+ (64 channels), CE + class-mean
# Dice, on PS-RGB re-ordered to 4
# bands [B, R, R, G] (the SAR stem's 4 channels); 300 AdamW iterations at lr
# 5e-3, as the SAR-only baseline deeplabv3plus_r18-d16_..._spacenet6-sar-64x64.py.
_base_ = [
    '../_base_/models/resnet18_deeplabv3plus_dice.py',
    '../_base_/datasets/spacenet6_eo_synthetic.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
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
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
# the synthetic EO statistics in [B, R, R, G] order
eo4_mean = [64.9, 84.6, 84.6, 110.4]
eo4_std = [21.4, 31.0, 31.0, 15.2]
data_preprocessor = dict(mean=eo4_mean, std=eo4_std)
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=4))
optim_wrapper = dict(optimizer=dict(lr=5e-3))
