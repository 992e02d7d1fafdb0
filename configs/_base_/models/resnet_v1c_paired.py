# The encoder-decoder skeleton of the EO -> SAR networks trained alone: a ResNet-50-V1c
# encoder (output stride 32) and the paired-modality data preprocessor, without neck
# and head, which resnet_hfam_fcn.py (HFD-Net) and resnet_deeplabv3plus_dice.py
# (DisOptNet's branch) add. Input channels and statistics are set by the config.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor', mean=None, std=None,
    pad_val=0, seg_pad_val=255, size_divisor=32)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ResNetV1c', depth=50, in_channels=3, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 1),
        strides=(1, 2, 2, 2), norm_cfg=norm_cfg, norm_eval=False,
        style='pytorch', contract_dilation=True),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
