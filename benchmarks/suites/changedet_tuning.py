# Equal tuning budget for the change-detection distillers (one seed, validation
# split): every distiller gets its main loss weight (and temperature where it has
# one) over a fixed grid of four points; the best validation F1 is the value the
# quick suite (changedet_quick.py, `tuned`) uses on the test split with all seeds.
# Nothing here is ever scored on the test split.
#   python tools/run_benchmark.py benchmarks/suites/changedet_tuning.py
# Entries are named <method>@<grid point>; the tests check that changedet_quick.py's
# `tuned` values are the argmax of this suite's records.
_base_ = ['./changedet_quick.py']
suite = 'changedet-tuning'
seeds = [0]

_val = dict(img_path='val/A', img_path2='val/B', seg_map_path='val/label')
cfg_options = {
    **{k: v for k, v in _base_.cfg_options.items()},
    # scored on the val split: the test tiles are never seen while choosing
    **{f'test_dataloader.dataset.data_prefix.{k}': v for k, v in _val.items()},
}
evaluation = dict(
    split='val',
    protocol='whole 256x256 synthetic tiles of the val split (32 tiles), one seed; '
    'change-class F1 chooses each distiller\'s grid point',
    input_shape=(256, 256))
tuning_board = None                 # this suite is the tuning itself
leaderboards = [
    dict(name='changedet-tuning', title='Change detection: loss-weight grid on the val '
         'split (synthetic LEVIR-CD, seed 0)', main_metric='F1',
         metrics=['F1', 'IoU', 'precision', 'recall'], higher_is_better=True),
]

_L = 'model.distiller.distill_losses.'
# method -> {grid-point label: cfg-options}; four points each, spanning x10-x30
# around the paper's (or the engine's) default
grids = dict(
    kd={f'w{w}-T{t}': {_L + 'loss_kd.loss_weight': w, _L + 'loss_kd.temperature': t}
        for w, t in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0), (3.0, 4.0))},
    cwd={f'w{w}-T{t}': {_L + 'loss_cwd.loss_weight': w, _L + 'loss_cwd.tau': t}
         for w, t in ((1.0, 1.0), (3.0, 1.0), (10.0, 1.0), (3.0, 4.0))},
    fitnet={f'w{w}': {_L + 'loss_fitnet.loss_weight': w} for w in (0.1, 0.3, 1.0, 3.0)},
    at={f'w{w}': {_L + f'loss_at_{s}.loss_weight': w
                  for s in ('layer2', 'layer3', 'layer4')}
        for w in (10.0, 100.0, 1000.0, 10000.0)},
    affinity={f'w{w}': {_L + 'loss_pair.loss_weight': w} for w in (0.3, 1.0, 3.0, 10.0)},
    dist={f'w{w}-T{t}': {_L + 'loss_dist.loss_weight': w, _L + 'loss_dist.tau': t}
          for w, t in ((1.0, 1.0), (3.0, 1.0), (1.0, 4.0), (3.0, 4.0))},
    mgd={f'w{w}': {_L + 'loss_mgd.loss_weight': w} for w in (0.1, 1.0, 10.0, 100.0)},
    # FRD: both terms scaled together (BFDD 10, CCRD 1 by default)
    frd={f'x{f}': {_L + 'loss_bfdd.loss_weight': 10.0 * f, _L + 'loss_ccrd.loss_weight': f}
         for f in (0.1, 0.3, 1.0, 3.0)},
    ifvd={f'w{w}': {_L + 'loss_ifvd.loss_weight': w} for w in (20.0, 60.0, 200.0, 600.0)},
    # CIRKD: its three relation terms scaled together (1, 0.1, 0.1 by default)
    cirkd={f'x{f}': {_L + 'loss_cirkd.batch_pixel_weight': f,
                     _L + 'loss_cirkd.memory_pixel_weight': 0.1 * f,
                     _L + 'loss_cirkd.memory_region_weight': 0.1 * f}
           for f in (0.1, 0.3, 1.0, 3.0)},
    dkd={f'a{a}-T{t}': {_L + 'loss_dkd.alpha': a, _L + 'loss_dkd.temperature': t}
         for a, t in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0), (3.0, 4.0))},
)
_teacher = 'siam-r50w32'
_kd = '_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=f'{m}@{label}', role='distill', method=m, teacher=_teacher, budget_s=190,
         config=f'configs/{m}/{m}{_kd}', cfg_options=options)
    for m, points in grids.items() for label, options in points.items()
]
