# Siamese change detector, student size: siam_r50-fpn.py with a ResNet-18-V1c at
# half width (base_channels=32, stem_channels=32: stages of 32/64/128/256
# channels), shared by both dates, |fA - fB| fusion, slim FPN (64) + FPNHead (64).
_base_ = ['./siam_r50-fpn.py']
model = dict(
    backbone=dict(depth=18, base_channels=32, stem_channels=32),
    fusion_neck=dict(in_channels=[32, 64, 128, 256]),
    neck=dict(in_channels=[32, 64, 128, 256], out_channels=64),
    decode_head=dict(in_channels=[64, 64, 64, 64], channels=64))
