# Quick change-detection suite: teacher -> student alone -> FRD, on a
# synthetic LEVIR-CD copy, sized for 2 CPU cores with the statistical power to tell
# methods apart (docs: benchmarks/README.md, "Quick suites: protocol").
#   python tools/run_benchmark.py benchmarks/suites/changedet_quick.py
#
# Protocol
# * data: 96 train / 32 val / 96 test tiles of 256 px (the test split alone holds
#   about 700 changed buildings); trained on 128 px crops, tested on whole tiles;
# * schedule: 450 AdamW iterations, warm-up 20, poly decay that ends at max_iters
#   (validated every 150 iterations on the val split). At the configs' own 300 the
#   student alone was still rising (val +0.4 to +4.8 F1 between 200 and 300) and its
#   test F1 spread by 0.74 between seeds; at 450 its val gains are +0.8 to +1.1 over
#   the last 150 iterations and its test F1 spreads by 0.17 (89.23 / 89.39 / 89.56);
# * seeds 0, 1, 2: a seed changes initialisation, data order and augmentation; the
#   dataset and the teacher (seed 0) stay fixed, so students are compared seed by seed;
# * 1 torch thread per run, 2 runs at a time (recorded): same seed + machine + threads,
#   same record, bit for bit (with 2 threads oneDNN's convolution gradients vary between
#   processes, see benchmarks/README.md);
# * loss weights: each distiller's main weight (and temperature) as chosen on the val
#   split by benchmarks/suites/changedet_tuning.py (one seed, grid in that file).
# * teacher: trained 2x longer than the students (900 iterations, its own poly decay
#   ending there): at 300 iterations the half-width R-50 is no better than the R-18
#   student, and a teacher that knows no more than the student teaches nothing; its val
#   F1 is flat from iteration 750 on.
# budget_s: wall seconds per run on 2 idle cores (train + test + measurement).
suite = 'changedet-quick'
family = 'changedet'
seeds = [0, 1, 2]
threads = 1
jobs = 2

data_root = 'data/quick/levir_cd_256'
dataset = dict(
    name='synthetic LEVIR-CD (256 px tiles, 96 train / 32 val / 96 test; 128 px crops)',
    data_root=data_root,
    generate=dict(func='mmkd_rs.datasets.synthetic.levir.generate_synthetic_levir',
                  kwargs=dict(num_train=96, num_val=32, num_test=96, size=256, seed=0)))
evaluation = dict(
    split='test',
    protocol='whole 256x256 synthetic tiles of the test split (96 tiles, never used for '
    'choosing anything); change-class precision, recall, F1, IoU plus OA and Kappa; F1 '
    'ranks; distillers compared with the student alone seed by seed (paired t interval)',
    input_shape=(256, 256))

cfg_options = {
    'train_dataloader.dataset.data_root': data_root,
    'val_dataloader.dataset.data_root': data_root,
    'test_dataloader.dataset.data_root': data_root,
    'train_cfg.max_iters': 450,
    'param_scheduler.1.end': 450,
    'train_cfg.val_interval': 150,
    'default_hooks.checkpoint.interval': 450,
    'default_hooks.logger.interval': 20,
}

# the val-split grid that chose the distillers' loss weights (`tuned` below)
tuning_board = 'changedet-tuning'
leaderboards = [
    dict(name='changedet-levir-quick',
         title='Change detection, synthetic LEVIR-CD (quick CPU suite, 3 seeds)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'],
         higher_is_better=True, metric_digits=2),
]

_teacher = 'siam-r50w32'
teacher_options = {'train_cfg.max_iters': 900, 'param_scheduler.1.end': 900,
                   'train_cfg.val_interval': 150, 'default_hooks.checkpoint.interval': 900}
_kd = '_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'
# method -> the loss-weight options chosen by the tuning sweep (changedet_tuning.py,
# best val F1 of each 4-point grid, copied from its records; a test checks they match);
# an empty dict keeps the config's default until the method's grid has finished
_L = 'model.distiller.distill_losses.'
tuned = dict(
    kd={_L + 'loss_kd.loss_weight': 3.0, _L + 'loss_kd.temperature': 1.0},  # val F1 88.96
    cwd={_L + 'loss_cwd.loss_weight': 3.0, _L + 'loss_cwd.tau': 1.0},  # val F1 89.47
    fitnet={_L + 'loss_fitnet.loss_weight': 0.1},  # val F1 89.22 (lowest grid point)
    at={_L + f'loss_at_{s}.loss_weight': 10.0 for s in ('layer2', 'layer3', 'layer4')},
    # at: val F1 88.32, the lowest grid point (below the student alone's 88.69)
    affinity={_L + 'loss_pair.loss_weight': 0.3},  # val F1 89.03 (lowest grid point)
    dist={_L + 'loss_dist.loss_weight': 3.0, _L + 'loss_dist.tau': 1.0},  # val F1 89.22
    # mgd: val F1 88.68 (lowest grid point; every point is at or below the student alone)
    mgd={_L + 'loss_mgd.loss_weight': 0.1},
    # frd: val F1 88.45 (both terms x0.1, the grid's low end; below the student alone)
    frd={_L + 'loss_bfdd.loss_weight': 1.0, _L + 'loss_ccrd.loss_weight': 0.1},
    ifvd={_L + 'loss_ifvd.loss_weight': 20.0},  # val F1 89.27 (lowest grid point)
    # cirkd: val F1 89.42 (x0.1 of the paper's relative weights, the grid's low end)
    cirkd={_L + 'loss_cirkd.batch_pixel_weight': 0.1,
           _L + 'loss_cirkd.memory_pixel_weight': 0.1 * 0.1,
           _L + 'loss_cirkd.memory_region_weight': 0.1 * 0.1},
    dkd={_L + 'loss_dkd.alpha': 3.0, _L + 'loss_dkd.temperature': 1.0})  # val F1 89.06
entries = [
    dict(name=_teacher, role='teacher', method='teacher', tags=['demo'], budget_s=480,
         config='configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
         cfg_options=teacher_options),
    dict(name='student', role='student', method='student', tags=['demo'], budget_s=130,
         config='configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'),
] + [
    dict(name='frd', role='distill', method='frd', teacher=_teacher, budget_s=195,
         tags=['demo'], config=f'configs/frd/frd{_kd}', cfg_options=tuned['frd']),
]
# The generic distillers (KD, CWD, FitNet, AT, affinity, DIST, MGD, IFVD, CIRKD, DKD)
# run under this same protocol in changedet_baselines.py, outside the quick collection
# (quick.py), which holds the papers' own methods.
