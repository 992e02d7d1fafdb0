# Quick CPU run on synthetic roads (see configs/_base_/datasets/synthetic_roads.py
# for the one-line data generation): a narrow hourglass (32 ch), 300 iterations.
_base_ = [
    '../_base_/models/roadcon_hourglass.py', '../_base_/datasets/synthetic_roads.py',
    '../_base_/default_runtime_roads.py', '../_base_/schedules/schedule_quick.py'
]
model = dict(
    backbone=dict(stem_channels=16, channels=32),
    decode_head=dict(in_channels=32, channels=16))
default_hooks = dict(logger=dict(interval=50), checkpoint=dict(interval=300))
train_cfg = dict(val_interval=300)
