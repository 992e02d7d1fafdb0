# The HFD-Net network of resnet_hfam_fcn.py at quick-run size: ResNet-18-V1c
# encoder, HFAM neck and FCN head of 64 channels, CE + class-mean Dice (as the
# DisOptNet quick networks: with CE alone the quick runs often stayed at the
# all-background solution, building F1 0). `backbone.in_channels` and the data
# preprocessor statistics are set by the config per modality.
_base_ = ['./resnet_hfam_fcn.py']
model = dict(
    backbone=dict(depth=18),
    neck=dict(in_channels=[64, 128, 256, 512], channels=64),
    decode_head=dict(in_channels=64, channels=64, loss_decode=[
        dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
        dict(type='ClassMeanDiceLoss', loss_weight=1.0)]))
