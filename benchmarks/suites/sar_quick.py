# Quick EO -> SAR suite on synthetic SpaceNet 6 pairs (64 px), 2 CPU cores.
# Data: python tools/dataset_converters/generate_synthetic_spacenet6.py
# data/synthetic_spacenet6 (the configs' data_root).
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
_sar = '_r18w16-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=45,
         config='configs/hfd/hfd-teacher-eo_r18w16-hfam-fcn_1xb8-quick_synthetic-sn6-eo-64.py'),
    dict(name='student', role='student', method='student', budget_s=45,
         config='configs/hfd/hfd-student-sar' + _sar),
    # EO pre-training then SAR fine-tuning: starts from the teacher's weights
    dict(name='eo-pretrain', role='baseline', method='eo-pretrain', teacher=_teacher,
         teacher_ckpt_option='load_from', budget_s=45,
         config='configs/hfd/eo-pretrain-sar-finetune' + _sar),
    dict(name='kd', role='distill', method='kd', teacher=_teacher, budget_s=55,
         config='configs/hfd/kd' + _sar),
    dict(name='fitnet', role='distill', method='fitnet', teacher=_teacher, budget_s=55,
         config='configs/hfd/fitnet' + _sar),
    dict(name='hfd', role='distill', method='hfd', teacher=_teacher, budget_s=70,
         config='configs/hfd/hfd' + _sar),
]
