# Quick EO -> SAR suite on synthetic paired tiles (placeholders until the
# SAR family's quick configs exist).
suite = 'sar-quick'
family = 'sar'
seeds = [0]

dataset = dict(name='synthetic SpaceNet 6 pairs (SAR student input, EO teacher input)')
evaluation = dict(split='test', protocol='SAR-only test split; mIoU ranks')

cfg_options = {
    'train_cfg.max_iters': 100,
    'train_cfg.val_interval': 50,
    'default_hooks.checkpoint.interval': 50,
    'default_hooks.logger.interval': 10,
}

leaderboards = [
    dict(name='sar-quick', title='EO -> SAR segmentation, synthetic pairs (quick CPU suite)',
         main_metric='mIoU', metrics=['mIoU', 'aAcc'], higher_is_better=True),
]

_teacher = 'eo-teacher'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=45, placeholder=True,
         config='configs/hfd/eo-teacher_1xb8-quick_spacenet6-synthetic-64.py'),
    dict(name='student', role='student', method='student', budget_s=45, placeholder=True,
         config='configs/hfd/sar-only_1xb8-quick_spacenet6-synthetic-64.py'),
    dict(name='hfd', role='distill', method='hfd', teacher=_teacher, budget_s=60,
         placeholder=True, config='configs/hfd/hfd_1xb8-quick_spacenet6-synthetic-64.py'),
]
