# Quick CPU teacher for the demo and the quick benchmark suite: the siamese
# ResNet-50-V1c teacher at half width (base channels 32: stages of
# 128/256/512/1024 channels) + FPN(128), so that 300 iterations fit a CPU run.
# Same data and schedule as siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py.
_base_ = ['./siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py']
model = dict(
    backbone=dict(depth=50, base_channels=32, stem_channels=32),
    fusion_neck=dict(in_channels=[128, 256, 512, 1024]),
    neck=dict(in_channels=[128, 256, 512, 1024], out_channels=128),
    decode_head=dict(in_channels=[128, 128, 128, 128], channels=64))
