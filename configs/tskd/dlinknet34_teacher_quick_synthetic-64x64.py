# Quick CPU teacher run on synthetic roads. D-LinkNet-34 (31 M parameters) costs about
# 10x the student per step, so the quick schedule is cut to 120 iterations.
_base_ = [
    '../_base_/models/dlinknet34.py', '../_base_/datasets/synthetic_roads.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
]
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, begin=0, end=10, by_epoch=False),
    dict(type='PolyLR', eta_min=1e-5, power=1.0, begin=10, end=120, by_epoch=False),
]
train_cfg = dict(max_iters=120, val_interval=120)
default_hooks = dict(logger=dict(interval=40), checkpoint=dict(interval=120))
