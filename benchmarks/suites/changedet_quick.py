# Quick change-detection suite: teacher -> student alone -> distillers, on a
# synthetic LEVIR-CD copy, sized for 2 CPU cores (one seed, 80 iterations).
# budget_s: wall seconds per run measured on 2 idle CPU cores, rounded up (train + test +
# measurements); the demo subset (--tags demo) stays under 5 minutes.
# Run:   python tools/run_benchmark.py benchmarks/suites/changedet_quick.py
# Demo:  python tools/run_benchmark.py benchmarks/suites/changedet_quick.py --tags demo
suite = 'changedet-quick'
family = 'changedet'
seeds = [0]

data_root = 'data/synthetic_levir_cd'
dataset = dict(
    name='synthetic LEVIR-CD (256 px tiles, 64 train / 8 val / 8 test; 128 px training crops)',
    data_root=data_root,
    # same tiles as tools/dataset_converters/generate_synthetic_levir.py with its defaults
    generate=dict(func='mmkd_rs.datasets.synthetic.levir.generate_synthetic_levir',
                  kwargs=dict(num_train=64, num_val=8, num_test=8, size=256, seed=0)))
evaluation = dict(
    split='test',
    protocol='whole 256x256 synthetic tiles of the test split; change-class precision, '
    'recall, F1, IoU plus OA and Kappa; F1 ranks',
    input_shape=(256, 256))

# Given to every entry: the generated data and an 80-iteration budget (a smoke
# benchmark: numbers show the pipeline works, not what the methods reach).
# Measured training steps on 2 idle cores (configs/changedet/README.md):
# student 0.24 s, teacher 0.51 s; about 30 s per run go to process start-up,
# testing and measurements.
cfg_options = {
    'train_dataloader.dataset.data_root': data_root,
    'val_dataloader.dataset.data_root': data_root,
    'test_dataloader.dataset.data_root': data_root,
    'train_cfg.max_iters': 80,
    'train_cfg.val_interval': 80,
    'default_hooks.checkpoint.interval': 80,
    'default_hooks.logger.interval': 10,
}

leaderboards = [
    dict(name='changedet-levir-quick',
         title='Change detection, synthetic LEVIR-CD (quick CPU suite)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'],
         higher_is_better=True, metric_digits=2),
]

_teacher = 'siam-r50w32'
_kd = '_siam-r18w32_siam-r50w32_synth-levir-256_quick.py'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', tags=['demo'], budget_s=50,
         config='configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-256.py'),
    dict(name='student', role='student', method='student', tags=['demo'], budget_s=30,
         config='configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-256.py'),
] + [
    dict(name=m, role='distill', method=m, teacher=_teacher, budget_s=48,
         tags=['demo'] if m == 'kd' else [], config=f'configs/{m}/{m}{_kd}')
    for m in ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist')
] + [
    dict(name='frd', role='distill', method='frd', teacher=_teacher, budget_s=50,
         tags=['demo'], config='configs/frd/frd' + _kd),
]
