# Equal tuning budget for the road distillers (one seed, validation split): each
# distiller's main loss weight (and temperature where it has one) over a fixed grid of
# four points; the best validation IoU is what roads_quick.py (`tuned`) uses on the
# test split with all seeds. Nothing here is scored on the test split.
#   python tools/run_benchmark.py benchmarks/suites/roads_tuning.py
_base_ = ['./roads_quick.py', './_base_/distiller_grids.py']
suite = 'roads-tuning'
seeds = [0]

_val = dict(img_path='img_dir/val', seg_map_path='ann_dir/val', conn_path='conn_dir/val',
            graph_path='graph_dir/val')
cfg_options = {
    **{k: v for k, v in _base_.cfg_options.items()},
    **{f'test_dataloader.dataset.data_prefix.{k}': v for k, v in _val.items()},
}
evaluation = dict(split='val', protocol='whole 256 px scenes of the val split (16 scenes), '
                  'one seed; road IoU chooses each distiller\'s grid point',
                  input_shape=(256, 256))
tuning_board = None                 # this suite is the tuning itself
leaderboards = [
    dict(name='roads-tuning', title='Roads: loss-weight grid on the val split (synthetic '
         'scenes, seed 0)', main_metric='IoU', metrics=['IoU', 'F1', 'APLS'],
         higher_is_better=True),
]

_teacher = 'dlinknet34'
_L = 'model.distiller.distill_losses.'
# the generic distillers' grids (_base_/distiller_grids.py) and TSKD's
grids = dict(
    _base_.grids,
    # TSKD: its three terms (KD, feature mimicking, topological space) scaled together
    tskd={f'x{f}': {_L + 'loss_kd.loss_weight': f, _L + 'loss_mimic.loss_weight': f,
                    _L + 'loss_topo.loss_weight': f} for f in (0.3, 1.0, 3.0, 10.0)},
)
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=f'{m}@{label}', role='distill', method=m, teacher=_teacher, budget_s=160,
         config=_base_.method_configs[m], cfg_options=options)
    for m, points in grids.items() for label, options in points.items()
]
