# DisOptNet-like branch network: the ResNet-V1c encoder of resnet_v1c_paired.py at
# output stride 8 + DeepLabV3+ head (the paper uses EfficientNet-B3/B4 encoders, not
# available in mmseg), CE + Dice loss as in the public code; the Dice is averaged
# over classes (ClassMeanDiceLoss: mmseg's DiceLoss pools both classes into one Dice
# that the background dominates, and the network then never predicts buildings).
# Input channels and statistics are set by the method config.
_base_ = ['./resnet_v1c_paired.py']
model = dict(
    # output stride 8: the last two stages dilated instead of strided
    backbone=dict(in_channels=4, dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1)),
    decode_head=dict(
        type='DepthwiseSeparableASPPHead', in_channels=2048, in_index=3,
        channels=512, dilations=(1, 12, 24, 36), c1_in_channels=256,
        c1_channels=48, dropout_ratio=0.1, num_classes=2, norm_cfg=_base_.norm_cfg,
        align_corners=False,
        loss_decode=[
            dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
            dict(type='ClassMeanDiceLoss', loss_weight=1.0)]))
