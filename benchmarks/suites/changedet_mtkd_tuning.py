# MTKD's share of the equal tuning budget (one seed, validation split): the weight of
# its per-sample logit matching over four points around Open-CD's 1e-3, with the
# student alone and the three change-area-ratio teachers scored on val as well. The
# best validation F1 is what changedet_mtkd.py (`tuned`) uses on the test split with
# all seeds; nothing here is scored on the test split.
#   python tools/run_benchmark.py benchmarks/suites/changedet_mtkd_tuning.py
_base_ = ['./changedet_mtkd.py']
suite = 'changedet-mtkd-tuning'
seeds = [0]

_val = dict(img_path='val/A', img_path2='val/B', seg_map_path='val/label')
cfg_options = {
    **{k: v for k, v in _base_.cfg_options.items()},
    **{f'test_dataloader.dataset.data_prefix.{k}': v for k, v in _val.items()},
}
evaluation = dict(
    split='val',
    protocol='whole 256x256 synthetic tiles of the val split (32 tiles), one seed; '
    'change-class F1 chooses MTKD\'s grid point',
    input_shape=(256, 256))
tuning_board = None                 # this suite is the tuning itself
leaderboards = [
    dict(name='changedet-mtkd-tuning', title='Change detection: MTKD loss-weight grid on '
         'the val split (synthetic LEVIR-CD, seed 0)', main_metric='F1',
         metrics=['F1', 'IoU', 'precision', 'recall'], higher_is_better=True),
]
_L = 'model.distiller.distill_losses.'
grids = dict(mtkd={f'w{w:g}': {_L + 'loss_mtkd.loss_weight': w}
                   for w in (0.001, 0.01, 0.1, 1.0)})
# the student, the partition teachers and the MTKD grid (not the no-distill control)
_mtkd = next(e for e in _base_.entries if e['name'] == 'mtkd')
entries = [e for e in _base_.entries if e['name'] not in ('mtkd', 'mtkd-no-distill')] + [
    dict(_mtkd, name=f'{m}@{label}', cfg_options=options)
    for m, points in grids.items() for label, options in points.items()
]
