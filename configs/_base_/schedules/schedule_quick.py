# Short CPU schedule for the quick benchmark suite and the demo: AdamW, 300
# iterations, validation and checkpoint every 100 (the loops and hooks of
# schedule_20k.py; logs every 20 iterations, keeps 2 checkpoints).
_base_ = ['./schedule_20k.py']
optimizer = dict(_delete_=True, type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=1e-4)
optim_wrapper = dict(optimizer=optimizer)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, begin=0, end=20, by_epoch=False),
    dict(type='PolyLR', eta_min=1e-5, power=1.0, begin=20, end=300, by_epoch=False),
]
train_cfg = dict(max_iters=300, val_interval=100)
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=100, max_keep_ckpts=2))
