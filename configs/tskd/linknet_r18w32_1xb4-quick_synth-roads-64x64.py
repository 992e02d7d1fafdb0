# Quick CPU student-alone run on synthetic roads (300 iterations).
_base_ = [
    '../_base_/models/linknet_r18.py', '../_base_/datasets/synthetic_roads.py',
    '../_base_/default_runtime_roads.py', '../_base_/schedules/schedule_quick.py'
]
default_hooks = dict(logger=dict(interval=50), checkpoint=dict(interval=300))
train_cfg = dict(val_interval=300)
