# Quick CPU run on synthetic roads at hourglass width 64 (1.9 M parameters, about the
# size of the half-width LinkNet-18 student, 2.9 M).
_base_ = ['./roadcon_hg2-ga-w32_1xb4-quick_synth-roads-64x64.py']
model = dict(
    backbone=dict(stem_channels=32, channels=64),
    decode_head=dict(in_channels=64, channels=32))
