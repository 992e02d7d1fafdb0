# The DisOptNet-like branch network of resnet_deeplabv3plus_dice.py at quick-run
# size: ResNet-18-V1c at output stride 16 (the R-50 configs use 8; 4 x 4 features
# at 64 px) and a DeepLabV3+ decoder of 64 channels. Input channels and
# statistics are set by the method config.
_base_ = ['./resnet_deeplabv3plus_dice.py']
model = dict(
    backbone=dict(depth=18, strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2)),
    decode_head=dict(in_channels=512, channels=64, c1_in_channels=64, c1_channels=12,
                     dilations=(1, 6, 12, 18)))
