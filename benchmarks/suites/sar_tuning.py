# Equal tuning budget for the EO -> SAR distillers (one seed, validation split): each
# distiller's main loss weight (and temperature where it has one) over a fixed grid of
# four points; the best validation building F1 is what sar_quick.py (`tuned`) uses on
# the test split with all seeds. Nothing here is scored on the test split.
#   python tools/run_benchmark.py benchmarks/suites/sar_tuning.py
_base_ = ['./sar_quick.py']
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
_tail = '_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py'
_dir = dict(kd='hfd', fitnet='hfd', hfd='hfd', ifvd='ifvd', cirkd='cirkd', dkd='dkd',
            cwd='cwd', at='at', affinity='affinity', dist='dist', mgd='mgd')
_dis_teacher = 'disoptnet-eo-teacher'
_dis_method = 'disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4'
_dis = 'configs/disoptnet/{}_1xb8-quick_synth-spacenet6-{}-64x64.py'
_L = 'model.distiller.distill_losses.'
grids = dict(
    kd={f'w{w}-T{t}': {_L + 'loss_kd.loss_weight': w, _L + 'loss_kd.temperature': t}
        for w, t in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0), (3.0, 4.0))},
    fitnet={f'w{w}': {_L + 'loss_fitnet.loss_weight': w} for w in (0.1, 0.3, 1.0, 3.0)},
    hfd={f'w{w}': {_L + 'loss_hfd.loss_weight': w} for w in (0.3, 1.0, 3.0, 10.0)},
    ifvd={f'w{w}': {_L + 'loss_ifvd.loss_weight': w} for w in (20.0, 60.0, 200.0, 600.0)},
    cirkd={f'x{f}': {_L + 'loss_cirkd.batch_pixel_weight': f,
                     _L + 'loss_cirkd.memory_pixel_weight': 0.1 * f,
                     _L + 'loss_cirkd.memory_region_weight': 0.1 * f}
           for f in (0.1, 0.3, 1.0, 3.0)},
    dkd={f'a{a}-T{t}': {_L + 'loss_dkd.alpha': a, _L + 'loss_dkd.temperature': t}
         for a, t in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0), (3.0, 4.0))},
    # DisOptNet: its feature-matching terms and the auxiliary KD scaled together
    disoptnet={f'x{f}': {_L + 'loss_aux_kd.loss_weight': f,
                         **{_L + f'loss_feat_{k}.loss_weight': f / 3
                            for k in ('stage3', 'stage4', 'decoder')}}
               for f in (0.3, 1.0, 3.0, 10.0)},
    # the generic distillers, on the grids of changedet_tuning.py
    cwd={f'w{w}-T{t}': {_L + 'loss_cwd.loss_weight': w, _L + 'loss_cwd.tau': t}
         for w, t in ((1.0, 1.0), (3.0, 1.0), (10.0, 1.0), (3.0, 4.0))},
    at={f'w{w}': {_L + f'loss_at_{s}.loss_weight': w
                  for s in ('layer2', 'layer3', 'layer4')}
        for w in (10.0, 100.0, 1000.0, 10000.0)},
    affinity={f'w{w}': {_L + 'loss_pair.loss_weight': w} for w in (0.3, 1.0, 3.0, 10.0)},
    dist={f'w{w}-T{t}': {_L + 'loss_dist.loss_weight': w, _L + 'loss_dist.tau': t}
          for w, t in ((1.0, 1.0), (3.0, 1.0), (1.0, 4.0), (3.0, 4.0))},
    mgd={f'w{w}': {_L + 'loss_mgd.loss_weight': w} for w in (0.1, 1.0, 10.0, 100.0)},
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
         f'configs/{_dir[m]}/{m}{_tail}', cfg_options=options)
    for m, points in grids.items() for label, options in points.items()
]
