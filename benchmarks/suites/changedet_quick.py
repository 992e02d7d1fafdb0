# Quick change-detection suite: teacher -> student alone -> distillers, on a
# synthetic LEVIR-CD copy, sized for 2 CPU cores (one seed, 100 iterations).
# Run:   python tools/run_benchmark.py benchmarks/suites/changedet_quick.py
# Demo:  python tools/run_benchmark.py benchmarks/suites/changedet_quick.py --tags demo
suite = 'changedet-quick'
family = 'changedet'
seeds = [0]

data_root = 'data/levir_cd_synthetic'
dataset = dict(
    name='synthetic LEVIR-CD (64 px tiles, 24 train / 4 val / 8 test)',
    data_root=data_root,
    generate=dict(func='mmkd_rs.datasets.synthetic.levir.generate_synthetic_levir',
                  kwargs=dict(num_train=24, num_val=4, num_test=8, size=64, seed=0)))
evaluation = dict(
    split='test',
    protocol='whole 64x64 synthetic tiles of the test split; change-class precision, '
    'recall, F1, IoU plus OA and Kappa; F1 ranks')

# Given to every entry: the generated data and a 100-iteration budget.
cfg_options = {
    'train_dataloader.dataset.data_root': data_root,
    'val_dataloader.dataset.data_root': data_root,
    'test_dataloader.dataset.data_root': data_root,
    'train_cfg.max_iters': 100,
    'train_cfg.val_interval': 50,
    'default_hooks.checkpoint.interval': 50,
    'default_hooks.logger.interval': 10,
}

leaderboards = [
    dict(name='changedet-levir-quick',
         title='Change detection, synthetic LEVIR-CD (quick CPU suite)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'],
         higher_is_better=True, metric_digits=2),
]

# Config names of the quick CPU variants; placeholder=True: an entry whose
# config does not exist yet is listed (and shows as missing) but not run.
_cd = 'configs/changedet/'
_teacher = 'siam-r50'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', tags=['demo'], budget_s=45,
         config=_cd + 'siam_r50-fpn_1xb8-quick_levir-cd-synthetic-64.py', placeholder=True),
    dict(name='student', role='student', method='student', tags=['demo'], budget_s=25,
         config=_cd + 'siam_r18w32-fpn_1xb8-quick_levir-cd-synthetic-64.py',
         placeholder=True),
    dict(name='kd', role='distill', method='kd', teacher=_teacher, tags=['demo'],
         budget_s=45,
         config='configs/kd/kd_siam-r50-r18w32_1xb8-quick_levir-cd-synthetic-64.py',
         placeholder=True),
    dict(name='cwd', role='distill', method='cwd', teacher=_teacher, budget_s=45,
         config='configs/cwd/cwd_siam-r50-r18w32_1xb8-quick_levir-cd-synthetic-64.py',
         placeholder=True),
    dict(name='fitnet', role='distill', method='fitnet', teacher=_teacher, budget_s=45,
         config='configs/fitnet/fitnet_siam-r50-r18w32_1xb8-quick_levir-cd-synthetic-64.py',
         placeholder=True),
    dict(name='at', role='distill', method='at', teacher=_teacher, budget_s=45,
         config='configs/at/at_siam-r50-r18w32_1xb8-quick_levir-cd-synthetic-64.py',
         placeholder=True),
    dict(name='frd', role='distill', method='frd', teacher=_teacher, tags=['demo'],
         budget_s=60,
         config='configs/frd/frd_siam-r50-r18w32_1xb8-quick_levir-cd-synthetic-64.py',
         placeholder=True),
]
