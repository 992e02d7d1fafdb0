# Quick MTKD teacher of CAR partition 2 (CAR >= 0.05); otherwise as
# siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-small-128x128.py.
_base_ = ['./siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-small-128x128.py']
train_dataloader = dict(sampler=dict(partition=2))
