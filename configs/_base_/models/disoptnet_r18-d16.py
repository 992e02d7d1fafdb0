# The DisOptNet network of disoptnet_r50-d8.py at quick-run size, as
# resnet18_deeplabv3plus_dice.py: ResNet-18-V1c at output stride 16 and DeepLabV3+
# decoders of 64 channels.
_base_ = ['./disoptnet_r50-d8.py']
branch_head = dict(in_channels=512, channels=64, dilations=(1, 6, 12, 18),
                   c1_in_channels=64, c1_channels=12)
model = dict(
    backbone=dict(depth=18, dilations=(1, 1, 1, 2), strides=(1, 2, 2, 1)),
    decode_head=branch_head, distill_head=branch_head, fusion_head=dict(in_channels=64))
