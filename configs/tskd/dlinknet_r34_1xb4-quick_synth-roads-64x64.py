# Quick CPU teacher run on synthetic roads (300 iterations, as the student). D-LinkNet-34
# (31 M parameters) costs about 6x the student per step: ~150 s of CPU time in all.
_base_ = [
    '../_base_/models/dlinknet34.py', '../_base_/datasets/synthetic_roads.py',
    '../_base_/default_runtime_roads.py', '../_base_/schedules/schedule_quick.py'
]
default_hooks = dict(logger=dict(interval=50), checkpoint=dict(interval=300))
train_cfg = dict(val_interval=300)
