# Quick EO -> SAR suite on synthetic SpaceNet 6 pairs (64 px), 2 CPU cores, 3 seeds.
#   python tools/run_benchmark.py benchmarks/suites/sar_quick.py
#
# Protocol
# * data: 128 tiles of 64 px at 2 m (SAR in dB with speckle, layover, double bounce,
#   radar shadow and nodata outside the swath; EO colours with texture): the 32
#   easternmost tiles are the test split, the next 32 the val split, 64 train;
# * the student sees SAR only, at training and at test; teachers see EO (input='eo':
#   drawn as reference points, off the Pareto front);
# * schedule: 450 AdamW iterations (poly decay ending at max_iters, validated every
#   150). At the configs' own 300 the SAR student alone was still rising (val +1.1 to
#   +2.3 building F1 over its last 100 iterations) and its test F1 spread by 1.07
#   between seeds (84.17 / 82.46 / 84.43); at 450 a 3-seed pilot gave 86.05 / 85.44 /
#   86.62 (std 0.59), val still +0.5 to +1.0 over the last 150;
#   DisOptNet's EO teacher (ResNet-18 at output stride 16: a 4x4 map on a 64 px tile)
#   is still learning at 300 (val building F1 76 / 80 / 82 at 100 / 200 / 300, below
#   HFD-Net's EO teacher at 92), so it trains 900 iterations with its own poly decay,
#   as the change-detection teacher does: a teacher that knows little more than its
#   student teaches nothing;
# * seeds 0, 1, 2 with one fixed teacher (seed 0); 1 torch thread per run, 2 runs at a time;
# * loss weights as chosen on the val split by sar_tuning.py (same schedule, threads,
#   paired runs and CPU model as these records).
# Two leaderboards, one per network family, each with its own student alone:
# HFD-Net's ResNet-18 + HFAM + FCN (EO teacher, SAR student, HFD-Net and EO
# pre-training -> SAR fine-tuning; the generic distillers, KD and FitNet among them,
# under this same protocol in sar_baselines.py, outside the quick collection
# (quick.py)) and DisOptNet's ResNet-18
# DeepLabV3+ (its EO teacher, the SAR-only network, stage 2 with and without teacher).
suite = 'sar-quick'
family = 'sar'
seeds = [0, 1, 2]
threads = 1
jobs = 2

data_root = 'data/quick/spacenet6_64'
dataset = dict(
    name='synthetic SpaceNet 6 pairs, 64x64 at 2 m (64 train / 32 val / 32 test tiles; '
    'SAR student input, EO teacher input)',
    data_root=data_root,
    generate=dict(func='mmkd_rs.datasets.synthetic.spacenet6.generate_synthetic_spacenet6',
                  kwargs=dict(num_tiles=128, val_fraction=0.25, test_fraction=0.25,
                              seed=0)))
evaluation = dict(split='test', protocol='SAR-only test split (the 32 easternmost tiles, '
                  'never used for choosing anything), whole-tile inference, '
                  'SegmentationMetric with nodata ignored; building F1 ranks',
                  input_shape=(64, 64))

cfg_options = {
    'train_dataloader.dataset.data_root': data_root,
    'val_dataloader.dataset.data_root': data_root,
    'test_dataloader.dataset.data_root': data_root,
    'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'val_dataloader.num_workers': 0,
    'val_dataloader.persistent_workers': False,
    'test_dataloader.num_workers': 0,
    'test_dataloader.persistent_workers': False,
    'train_cfg.max_iters': 450,
    'param_scheduler.1.end': 450,
    'train_cfg.val_interval': 150,
    'default_hooks.checkpoint.interval': 450,
    'default_hooks.logger.interval': 50,
}

_metrics = ['building_F1', 'mIoU', 'OA', 'Kappa']
# the val-split grid that chose the distillers' loss weights (`tuned` below)
tuning_board = 'sar-tuning'
leaderboards = [
    dict(name='sar-quick', title='EO -> SAR building segmentation, HFD-Net family '
         '(synthetic SpaceNet 6, quick CPU suite, 3 seeds)', main_metric='building_F1',
         metrics=_metrics, higher_is_better=True),
    dict(name='sar-quick-disoptnet', title='EO -> SAR building segmentation, DisOptNet '
         'family (synthetic SpaceNet 6, quick CPU suite, 3 seeds)',
         main_metric='building_F1', metrics=_metrics, higher_is_better=True),
]

_teacher = 'eo-teacher'
_tail = '_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py'
# method -> its config (shared by sar_tuning.py and sar_baselines.py); KD and FitNet
# live beside HFD-Net in configs/hfd/
method_configs = {m: f'configs/{d}/{m}{_tail}' for m, d in dict(
    kd='hfd', fitnet='hfd', hfd='hfd', ifvd='ifvd', cirkd='cirkd', dkd='dkd', cwd='cwd',
    at='at', affinity='affinity', dist='dist', mgd='mgd').items()}
_dis_teacher = 'disoptnet-eo-teacher'
dis_teacher_options = {'train_cfg.max_iters': 900, 'param_scheduler.1.end': 900,
                       'train_cfg.val_interval': 300, 'default_hooks.checkpoint.interval': 900}
_dis_method = 'disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4'
_dis = 'configs/disoptnet/{}_1xb8-quick_synth-spacenet6-{}-64x64.py'
# method -> loss-weight options chosen by sar_tuning.py (empty: the config's default)
tuned = dict(
    kd={'model.distiller.distill_losses.loss_kd.loss_weight': 1.0,
        'model.distiller.distill_losses.loss_kd.temperature': 1.0},  # val building F1 86.08
    fitnet={'model.distiller.distill_losses.loss_fitnet.loss_weight': 0.1},  # 87.15
    hfd={'model.distiller.distill_losses.loss_hfd.loss_weight': 1.0},  # 87.56
    ifvd={'model.distiller.distill_losses.loss_ifvd.loss_weight': 20.0},  # 84.61
    # cirkd: 85.94 (x0.3 of the paper's relative weights)
    cirkd={'model.distiller.distill_losses.loss_cirkd.batch_pixel_weight': 0.3,
           'model.distiller.distill_losses.loss_cirkd.memory_pixel_weight': 0.1 * 0.3,
           'model.distiller.distill_losses.loss_cirkd.memory_region_weight': 0.1 * 0.3},
    dkd={'model.distiller.distill_losses.loss_dkd.alpha': 1.0,
         'model.distiller.distill_losses.loss_dkd.temperature': 1.0},  # 86.83
    # disoptnet: 92.00 (x1: aux KD 1.0, each feature term 1.0 / 3)
    disoptnet={'model.distiller.distill_losses.loss_aux_kd.loss_weight': 1.0,
               **{f'model.distiller.distill_losses.loss_feat_{k}.loss_weight': 1.0 / 3
                  for k in ('stage3', 'stage4', 'decoder')}},
    cwd={'model.distiller.distill_losses.loss_cwd.loss_weight': 3.0,
         'model.distiller.distill_losses.loss_cwd.tau': 4.0},  # 86.69
    at={f'model.distiller.distill_losses.loss_at_{s}.loss_weight': 10.0
        for s in ('layer2', 'layer3', 'layer4')},  # 84.70
    affinity={'model.distiller.distill_losses.loss_pair.loss_weight': 0.3},  # 86.74
    dist={'model.distiller.distill_losses.loss_dist.loss_weight': 1.0,
          'model.distiller.distill_losses.loss_dist.tau': 1.0},  # 85.14
    mgd={'model.distiller.distill_losses.loss_mgd.loss_weight': 1.0})  # 87.51
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=145, input='eo',
         config='configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-eo-64x64.py'),
    dict(name='student', role='student', method='student', budget_s=130,
         config='configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py'),
] + [
    dict(name='hfd', role='distill', method='hfd', teacher=_teacher, budget_s=165,
         config=method_configs['hfd'], cfg_options=tuned['hfd']),
] + [
    # EO pre-training then SAR fine-tuning: starts from the teacher's weights
    dict(name='eo-pretrain', role='baseline', method='eo-pretrain', teacher=_teacher,
         teacher_ckpt_option='load_from', budget_s=130,
         config='configs/hfd/fcn_r18-hfam-eo-pre_1xb8-quick_synth-spacenet6-sar-64x64.py'),
    dict(name=_dis_teacher, role='teacher', method='teacher', budget_s=265, input='eo',
         leaderboard='sar-quick-disoptnet', config=_dis.format('deeplabv3plus_r18-d16', 'eo4'),
         cfg_options=dis_teacher_options),
    dict(name='disoptnet-sar-only', role='student', method='student', budget_s=130,
         leaderboard='sar-quick-disoptnet', config=_dis.format('deeplabv3plus_r18-d16', 'sar')),
    dict(name='disoptnet-no-distill', role='baseline', method='no-distill', budget_s=215,
         leaderboard='sar-quick-disoptnet', config=_dis.format('disoptnet_r18-d16', 'sar')),
    dict(name='disoptnet', role='distill', method='disoptnet', teacher=_dis_teacher,
         budget_s=250, leaderboard='sar-quick-disoptnet', config=_dis.format(_dis_method, 'sar'),
         cfg_options=tuned['disoptnet']),
]
