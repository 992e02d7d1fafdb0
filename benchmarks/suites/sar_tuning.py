# Equal tuning budget for the EO -> SAR distillers (one seed, validation split): each
# distiller's main loss weight (and temperature where it has one) over a fixed grid of
# four points; the best validation building F1 is what sar_quick.py (`tuned`) uses on
# the test split with all seeds. Nothing here is scored on the test split.
#   python tools/run_benchmark.py benchmarks/suites/sar_tuning.py
_base_ = ['./sar_quick.py', './_base_/distiller_grids.py']
suite = 'sar-tuning'
seeds = [0]

cfg_options = {
    **{k: v for k, v in _base_.cfg_options.items()},
    'test_dataloader.dataset.ann_file': 'splits/val.txt',
}
evaluation = dict(split='val', protocol='SAR-only val split (32 tiles), one seed; '
                  'building F1 chooses each distiller\'s grid point', input_shape=(64, 64))
tuning_board = None                 # this suite is the tuning itself
leaderboards = [
    dict(name='sar-tuning', title='EO -> SAR: loss-weight grid on the val split, HFD-Net '
         'family (synthetic SpaceNet 6, seed 0)', main_metric='building_F1',
         metrics=['building_F1', 'mIoU'], higher_is_better=True),
    dict(name='sar-tuning-disoptnet', title='EO -> SAR: loss-weight grid on the val split, '
         'DisOptNet family (seed 0)', main_metric='building_F1',
         metrics=['building_F1', 'mIoU'], higher_is_better=True),
]

_teacher = 'eo-teacher'
_dis_teacher = 'disoptnet-eo-teacher'
_dis_method = 'disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4'
_dis = 'configs/disoptnet/{}_1xb8-quick_synth-spacenet6-{}-64x64.py'
_L = 'model.distiller.distill_losses.'
# the generic distillers' grids (_base_/distiller_grids.py), HFD-Net's and DisOptNet's
grids = dict(
    _base_.grids,
    hfd={f'w{w}': {_L + 'loss_hfd.loss_weight': w} for w in (0.3, 1.0, 3.0, 10.0)},
    # DisOptNet: its feature-matching terms and the auxiliary KD scaled together
    disoptnet={f'x{f}': {_L + 'loss_aux_kd.loss_weight': f,
                         **{_L + f'loss_feat_{k}.loss_weight': f / 3
                            for k in ('stage3', 'stage4', 'decoder')}}
               for f in (0.3, 1.0, 3.0, 10.0)},
)
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=145, input='eo',
         config='configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-eo-64x64.py'),
    dict(name='student', role='student', method='student', budget_s=135,
         config='configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py'),
    dict(name=_dis_teacher, role='teacher', method='teacher', budget_s=265, input='eo',
         leaderboard='sar-tuning-disoptnet', config=_dis.format('deeplabv3plus_r18-d16', 'eo4'),
         cfg_options=_base_.dis_teacher_options),
    dict(name='disoptnet-sar-only', role='student', method='student', budget_s=130,
         leaderboard='sar-tuning-disoptnet', config=_dis.format('deeplabv3plus_r18-d16', 'sar')),
] + [
    dict(name=f'{m}@{label}', role='distill', method=m, budget_s=175,
         teacher=_dis_teacher if m == 'disoptnet' else _teacher,
         leaderboard='sar-tuning-disoptnet' if m == 'disoptnet' else 'sar-tuning',
         config=_dis.format(_dis_method, 'sar') if m == 'disoptnet' else
         _base_.method_configs[m], cfg_options=options)
    for m, points in grids.items() for label, options in points.items()
]
