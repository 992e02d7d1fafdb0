# Quick road-extraction suite on synthetic road tiles (64 px), 2 CPU cores.
# Data: python tools/dataset_converters/generate_synthetic_roads.py (the
# configs' data_root); distiller configs are placeholders until written.
suite = 'roads-quick'
family = 'roads'
seeds = [0]

dataset = dict(name='synthetic road tiles, 64x64 (tools/dataset_converters/'
               'generate_synthetic_roads.py)')
evaluation = dict(split='test', protocol='test split of the configs, RoadMetric (pixel IoU, '
                  'F1, APLS on the skeleton graph); road IoU ranks', input_shape=(64, 64))

cfg_options = {
    'train_cfg.max_iters': 40,
    'train_cfg.val_interval': 40,
    'default_hooks.checkpoint.interval': 40,
    'default_hooks.logger.interval': 10,
}

leaderboards = [
    dict(name='roads-quick', title='Road extraction, synthetic tiles (quick CPU suite)',
         main_metric='iou', metrics=['iou', 'f1', 'apls'], higher_is_better=True,
         metric_digits=4),
]

_teacher = 'dlinknet34'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=75,
         config='configs/tskd/dlinknet34_teacher_quick_synthetic-64x64.py'),
    dict(name='student', role='student', method='student', budget_s=40,
         config='configs/tskd/linknet-r18-w32_student_quick_synthetic-64x64.py'),
    dict(name='kd', role='distill', method='kd', teacher=_teacher, budget_s=75,
         placeholder=True,
         config='configs/tskd/kd_linknet-r18-w32_dlinknet34_synthetic-64x64_quick.py'),
    dict(name='tskd', role='distill', method='tskd', teacher=_teacher, budget_s=90,
         placeholder=True,
         config='configs/tskd/tskd_linknet-r18-w32_dlinknet34_synthetic-64x64_quick.py'),
]
