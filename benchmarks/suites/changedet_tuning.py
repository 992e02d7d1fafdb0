# Equal tuning budget for the change-detection distillers (one seed, validation
# split): every distiller gets its main loss weight (and temperature where it has
# one) over a fixed grid of four points; the best validation F1 is the value the
# quick suite (changedet_quick.py, `tuned`) uses on the test split with all seeds.
# Nothing here is ever scored on the test split.
#   python tools/run_benchmark.py benchmarks/suites/changedet_tuning.py
# Entries are named <method>@<grid point>; the tests check that changedet_quick.py's
# `tuned` values are the argmax of this suite's records.
_base_ = ['./changedet_quick.py', './_base_/distiller_grids.py']
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
# method -> {grid-point label: cfg-options}: the generic distillers' grids
# (_base_/distiller_grids.py) and FRD's
grids = dict(
    _base_.grids,
    # FRD: both terms scaled together (BFDD 10, CCRD 1 by default)
    frd={f'x{f}': {_L + 'loss_bfdd.loss_weight': 10.0 * f, _L + 'loss_ccrd.loss_weight': f}
         for f in (0.1, 0.3, 1.0, 3.0)},
)
_teacher = 'siam-r50w32'
_kd = '_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=f'{m}@{label}', role='distill', method=m, teacher=_teacher, budget_s=190,
         config=f'configs/{m}/{m}{_kd}', cfg_options=options)
    for m, points in grids.items() for label, options in points.items()
]
