# Quick EO -> SAR suite on synthetic SpaceNet 6 pairs (64 px), 2 CPU cores.
# Data: generated on first use in data/synthetic_spacenet6 (the configs'
# data_root), as python tools/dataset_converters/generate_synthetic_spacenet6.py
# data/synthetic_spacenet6 would.
suite = 'sar-quick'
family = 'sar'
seeds = [0]

dataset = dict(
    name='synthetic SpaceNet 6 pairs, 64x64 at 2 m (48 train / 16 val tiles; SAR student '
    'input, EO teacher input)',
    data_root='data/synthetic_spacenet6',
    generate=dict(func='mmkd_rs.datasets.synthetic.spacenet6.generate_synthetic_spacenet6',
                  kwargs=dict(num_tiles=64, seed=0)))
evaluation = dict(split='test', protocol='SAR-only test split (the 16 easternmost tiles), '
                  'whole-tile inference, SegmentationMetric with nodata ignored; building F1 '
                  'ranks', input_shape=(64, 64))

# The configs' quick schedule (AdamW, 20-iteration warm-up, poly decay)
# compressed from 300 to 200 iterations to fit the 20-minute quick suite.
cfg_options = {
    'train_cfg.max_iters': 200,
    'train_cfg.val_interval': 200,
    'param_scheduler.1.end': 200,
    'default_hooks.checkpoint.interval': 200,
    'default_hooks.logger.interval': 50,
}

leaderboards = [
    dict(name='sar-quick', title='EO -> SAR building segmentation, synthetic SpaceNet 6 pairs '
         '(quick CPU suite)', main_metric='building_F1',
         metrics=['building_F1', 'mIoU', 'OA', 'Kappa'], higher_is_better=True),
]

# Part of the 20-minute quick collection (quick.py): the EO teacher, the SAR
# student alone, KD, HFD-Net and DisOptNet. EO pre-training, FitNet, the
# DisOptNet SAR-only baseline and its no-distillation ablation are in
# sar_quick_extra.py (about 7 more minutes).
# HFD-Net family: ResNet-18 + HFAM + FCN, the same network for all.
_teacher = 'eo-teacher'
_tail = '_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py'
# DisOptNet: ResNet-18 + DeepLabV3+ branches (its own EO teacher, stage 1).
_dis_teacher = 'disoptnet-eo-teacher'
_dis = 'configs/disoptnet/disoptnet{}_r18-deeplabv3plus_1xb8-quick_synthetic-sn6-{}-64.py'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=70,
         config='configs/hfd/hfd-teacher-eo_r18-hfam-fcn_1xb8-quick_synthetic-sn6-eo-64.py'),
    dict(name='student', role='student', method='student', budget_s=60,
         config='configs/hfd/hfd-student-sar' + _tail),
    dict(name='kd', role='distill', method='kd', teacher=_teacher, budget_s=90,
         config='configs/hfd/kd' + _tail),
    dict(name='hfd', role='distill', method='hfd', teacher=_teacher, budget_s=75,
         config='configs/hfd/hfd' + _tail),
    dict(name=_dis_teacher, role='teacher', method='teacher', budget_s=75,
         config=_dis.format('-teacher-eo4', 'eo')),
    dict(name='disoptnet', role='distill', method='disoptnet', teacher=_dis_teacher,
         budget_s=125, config=_dis.format('', 'sar')),
]
