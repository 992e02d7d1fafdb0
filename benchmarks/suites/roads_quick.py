# Quick road-extraction suite on synthetic road tiles (64 px), 2 CPU cores.
# Data: python tools/dataset_converters/generate_synthetic_roads.py (the
# configs' data_root); distiller configs are placeholders until written.
suite = 'roads-quick'
family = 'roads'
seeds = [0]

dataset = dict(
    name='synthetic road tiles (128 px scenes, 48 train / 12 val; 64 px training crops)',
    data_root='data/synthetic_roads',
    # same scenes as: python tools/dataset_converters/generate_synthetic_roads.py
    #   data/synthetic_roads --format mmseg --num 48 --num-val 12 --size 128
    generate=dict(func='mmkd_rs.datasets.synthetic.roads.generate_synthetic_roads',
                  kwargs=dict(num_train=48, num_val=12, size=128, seed=0)))
evaluation = dict(split='test', protocol='test split of the configs, RoadMetric (pixel IoU, '
                  'F1, APLS on the skeleton graph); road IoU ranks', input_shape=(64, 64))

# The configs' own 300-iteration quick schedule: the distilled students switch
# their distill losses on after a 100-iteration warm-up (see configs/tskd/README.md).
cfg_options = {
    'default_hooks.logger.interval': 50,
}

leaderboards = [
    dict(name='roads-quick', title='Road extraction, synthetic tiles (quick CPU suite)',
         main_metric='road/iou', metrics=['road/iou', 'road/f1', 'road/relaxed_f1',
                                          'road/cldice', 'road/apls'], higher_is_better=True,
         metric_digits=4),
]

_teacher = 'dlinknet34'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=110,
         config='configs/tskd/dlinknet34_teacher_quick_synthetic-64x64.py'),
    dict(name='student', role='student', method='student', budget_s=30,
         config='configs/tskd/linknet-r18-w32_student_quick_synthetic-64x64.py'),
    dict(name='kd', role='distill', method='kd', teacher=_teacher, budget_s=50,
         config='configs/tskd/kd_linknet-r18-w32_dlinknet34_synthetic-64x64_quick.py'),
    dict(name='tskd', role='distill', method='tskd', teacher=_teacher, budget_s=95,
         config='configs/tskd/tskd_linknet-r18-w32_dlinknet34_synthetic-64x64_quick.py'),
]
