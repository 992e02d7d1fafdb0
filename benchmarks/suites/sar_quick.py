# Quick EO -> SAR suite on synthetic SpaceNet 6 pairs (64 px), 2 CPU cores.
# Data: python tools/dataset_converters/generate_synthetic_spacenet6.py
# data/synthetic_spacenet6; the HFD config is a placeholder until written.
suite = 'sar-quick'
family = 'sar'
seeds = [0]

dataset = dict(name='synthetic SpaceNet 6 pairs, 64x64 (SAR student input, EO teacher input)')
evaluation = dict(split='test', protocol='SAR-only test split, SegmentationMetric; building '
                  'F1 ranks', input_shape=(64, 64))

cfg_options = {
    'train_cfg.max_iters': 40,
    'train_cfg.val_interval': 40,
    'default_hooks.checkpoint.interval': 40,
    'default_hooks.logger.interval': 10,
}

leaderboards = [
    dict(name='sar-quick', title='EO -> SAR building segmentation, synthetic pairs (quick CPU '
         'suite)', main_metric='building_F1', metrics=['building_F1', 'mIoU', 'OA'],
         higher_is_better=True),
]

_teacher = 'eo-teacher'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=45,
         config='configs/hfd/hfd-teacher-eo_r18w16-hfam-fcn_1xb8-quick_synthetic-sn6-eo-64.py'),
    dict(name='student', role='student', method='student', budget_s=45,
         config='configs/hfd/hfd-student-sar_r18w16-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py'),
    dict(name='hfd', role='distill', method='hfd', teacher=_teacher, budget_s=75,
         placeholder=True,
         config='configs/hfd/hfd_r18w16-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py'),
]
