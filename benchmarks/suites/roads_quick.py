# Quick road-extraction suite on synthetic road scenes, 2 CPU cores, 3 seeds.
#   python tools/run_benchmark.py benchmarks/suites/roads_quick.py
#
# Protocol
# * data: 64 train / 16 val / 32 test scenes of 256 px (a perturbed road grid with
#   15-40 junctions, dead-end spurs, curves, trees and shadows over the roads; labels
#   from the generator's own graph); training on 64 px crops, testing on whole scenes
#   read as 1 m/px, so APLS and TOPO have many control points per scene;
# * schedule: the configs' AdamW schedule stretched to 1200 iterations (poly decay
#   ending at max_iters; TSKD's distill losses warm up over the first 100): at 300
#   iterations the student alone moved by 5 IoU points between seeds (74.6 / 69.6 /
#   70.4), at 1200 by about 1 (90.4 / 89.9 / 88.4);
# * seeds 0, 1, 2 with one fixed teacher (seed 0); 1 torch thread per run, 2 runs at a time;
# * student: LinkNet-18 at quarter width (0.7 M parameters). At half width (2.9 M) it
#   came within 1.97 IoU points of the D-LinkNet-34 teacher with a seed spread of 1.04
#   (gap 1.9 std; at 2400 iterations it passed the teacher): the teacher had nothing
#   to teach. At quarter width: 88.24 / 88.31 / 88.04, 3.5 points below the teacher;
# * loss weights as chosen on the val split by roads_tuning.py.
# The generic distillers (KD among them) run under this same protocol in
# roads_baselines.py, outside the quick collection (quick.py).
# Xu et al.'s connectivity network (configs/roadcon) is trained without a teacher:
# one row at about the student's size (hourglass width 32) and one at the paper's
# width (7.7 M parameters), compared with the LinkNet student alone as every other row.
suite = 'roads-quick'
family = 'roads'
seeds = [0, 1, 2]
threads = 1
jobs = 2

data_root = 'data/quick/roads_256'
dataset = dict(
    name='synthetic road scenes (256 px, 64 train / 16 val / 32 test; 64 px training '
    'crops)',
    data_root=data_root,
    generate=dict(func='mmkd_rs.datasets.synthetic.roads.generate_synthetic_roads',
                  kwargs=dict(num_train=64, num_val=16, num_test=32, size=256, seed=0)))
evaluation = dict(split='test', protocol='whole 256 px scenes of the test split (32 '
                  'scenes, never used for choosing anything), RoadMetric: pixel IoU, F1, '
                  'relaxed F1, clDice, APLS and TOPO (deterministic starts) on the '
                  'skeleton graph; IoU ranks', input_shape=(256, 256))

cfg_options = {
    'train_dataloader.dataset.data_root': data_root,
    'val_dataloader.dataset.data_root': data_root,
    'test_dataloader.dataset.data_root': data_root,
    'train_cfg.max_iters': 1200,
    'param_scheduler.1.end': 1200,
    'train_cfg.val_interval': 400,
    'default_hooks.checkpoint.interval': 1200,
    'default_hooks.logger.interval': 50,
}

# the val-split grid that chose the distillers' loss weights (`tuned` below)
tuning_board = 'roads-tuning'
leaderboards = [
    dict(name='roads-quick', title='Road extraction, synthetic scenes (quick CPU suite, '
         '3 seeds)', main_metric='IoU',
         metrics=['IoU', 'F1', 'relaxed_F1', 'clDice', 'APLS', 'TOPO_F1'],
         higher_is_better=True),
]

_teacher = 'dlinknet34'
_pair = '_linknet-r18w16_dlinknet-r34_1xb4-quick_synth-roads-64x64.py'
# method -> loss-weight options chosen by roads_tuning.py (empty: the config's default)
_L = 'model.distiller.distill_losses.'
tuned = dict(
    kd={_L + 'loss_kd.loss_weight': 3.0, _L + 'loss_kd.temperature': 1.0},  # val IoU 89.86
    # tskd: val IoU 90.56 (its three terms x3)
    tskd={_L + 'loss_kd.loss_weight': 3.0, _L + 'loss_mimic.loss_weight': 3.0,
          _L + 'loss_topo.loss_weight': 3.0},
    ifvd={_L + 'loss_ifvd.loss_weight': 60.0},  # val IoU 89.78
    # cirkd: val IoU 89.72 (the paper's relative weights, x0.3)
    cirkd={_L + 'loss_cirkd.batch_pixel_weight': 0.3,
           _L + 'loss_cirkd.memory_pixel_weight': 0.1 * 0.3,
           _L + 'loss_cirkd.memory_region_weight': 0.1 * 0.3},
    dkd={_L + 'loss_dkd.alpha': 3.0, _L + 'loss_dkd.temperature': 1.0},  # val IoU 89.87
    cwd={_L + 'loss_cwd.loss_weight': 1.0, _L + 'loss_cwd.tau': 1.0},  # val IoU 74.88
    fitnet={_L + 'loss_fitnet.loss_weight': 0.1},  # val IoU 89.16
    at={_L + f'loss_at_{s}.loss_weight': 10.0
        for s in ('layer2', 'layer3', 'layer4')},  # val IoU 85.00
    affinity={_L + 'loss_pair.loss_weight': 0.3},  # val IoU 89.08
    dist={_L + 'loss_dist.loss_weight': 1.0, _L + 'loss_dist.tau': 1.0},  # val IoU 76.03
    mgd={_L + 'loss_mgd.loss_weight': 1.0})  # val IoU 89.17
# method -> its config (shared by roads_tuning.py and roads_baselines.py)
method_configs = dict(kd=f'configs/tskd/kd{_pair}', tskd=f'configs/tskd/tskd{_pair}',
                      ifvd=f'configs/ifvd/ifvd{_pair}', cirkd=f'configs/cirkd/cirkd{_pair}',
                      dkd=f'configs/dkd/dkd{_pair}', cwd=f'configs/tskd/cwd{_pair}',
                      fitnet=f'configs/tskd/fitnet{_pair}', at=f'configs/tskd/at{_pair}',
                      affinity=f'configs/affinity/affinity{_pair}',
                      dist=f'configs/dist/dist{_pair}', mgd=f'configs/mgd/mgd{_pair}')
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=485,
         config='configs/tskd/dlinknet_r34_1xb4-quick_synth-roads-64x64.py'),
    dict(name='student', role='student', method='student', budget_s=100,
         config='configs/tskd/linknet_r18w16_1xb4-quick_synth-roads-64x64.py'),
] + [
    dict(name='tskd', role='distill', method='tskd', teacher=_teacher, budget_s=540,
         config=method_configs['tskd'], cfg_options=tuned['tskd']),
] + [
    dict(name='roadcon-w32', role='baseline', method='roadcon', budget_s=200,
         config='configs/roadcon/roadcon_hg2-ga-w32_1xb4-quick_synth-roads-64x64.py'),
    dict(name='roadcon', role='baseline', method='roadcon', budget_s=600,
         config='configs/roadcon/roadcon_hg2-ga_1xb4-quick_synth-roads-64x64.py'),
]
