# Quick MTKD teacher of CAR partition 1 (0.035 <= CAR < 0.05); otherwise as
# mtkd-teacher-small_siam-r18w32-fpn_1xb4-quick_synth-levir-256.py.
_base_ = ['./mtkd-teacher-small_siam-r18w32-fpn_1xb4-quick_synth-levir-256.py']
train_dataloader = dict(sampler=dict(partition=1))
