# Quick CPU run on synthetic roads at the paper's width (hourglass 128, stem 64;
# 7.7 M parameters): Xu et al.'s network as published, the teacher-size entry of
# the quick roads suite.
_base_ = ['./roadcon_hg2-ga-w32_1xb4-quick_synth-roads-64x64.py']
model = dict(
    backbone=dict(stem_channels=64, channels=128),
    decode_head=dict(in_channels=128, channels=64))
