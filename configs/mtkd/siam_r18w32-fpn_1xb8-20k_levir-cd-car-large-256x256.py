# MTKD step 2, teacher of CAR partition 2, "large" (CAR >= 0.2); otherwise as
# siam_r18w32-fpn_1xb8-20k_levir-cd-car-small-256x256.py.
_base_ = ['./siam_r18w32-fpn_1xb8-20k_levir-cd-car-small-256x256.py']
train_dataloader = dict(sampler=dict(partition=2))
