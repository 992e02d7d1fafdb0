# DisOptNet-like branch network: ResNet-V1c encoder + DeepLabV3+ head
# (the paper uses EfficientNet-B3/B4 encoders, not available in mmseg),
# CE + Dice loss as in the public code; the Dice is averaged over classes
# (ClassMeanDiceLoss: mmseg's DiceLoss pools both classes into one Dice that
# the background dominates, and the network then never predicts buildings).
# Input channels and statistics are set by the method config.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor', mean=None, std=None,
    pad_val=0, seg_pad_val=255, size_divisor=32)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ResNetV1c', depth=50, in_channels=4, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1), norm_cfg=norm_cfg, norm_eval=False,
        style='pytorch', contract_dilation=True),
    decode_head=dict(
        type='DepthwiseSeparableASPPHead', in_channels=2048, in_index=3,
        channels=512, dilations=(1, 12, 24, 36), c1_in_channels=256,
        c1_channels=48, dropout_ratio=0.1, num_classes=2, norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=[
            dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
            dict(type='ClassMeanDiceLoss', loss_weight=1.0)]),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
