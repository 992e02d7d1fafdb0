# MTKD on the quick change-detection protocol: the student alone, one teacher per
# change-area-ratio (CAR) partition, and the student distilled from the teacher of each
# sample's partition (configs/mtkd/README.md).  Not part of quick.py.
#   python tools/run_benchmark.py benchmarks/suites/changedet_mtkd.py
#
# Data, evaluation, seeds, threads and cfg_options are those of changedet_quick.py.
# MTKD's three steps are three kinds of entry:
# 1. 'student': the student alone (changedet_quick's student config), also the
#    starting point of step 3;
# 2. 'mtkd-teacher-{small,medium,large}': the student's network trained on one CAR
#    partition of the training tiles (quick thresholds 0.035 / 0.05).  They are
#    'baseline' rows, not 'teacher' rows: leaderboards read a teacher row as the upper
#    bound (and measure the teacher - student gap against it), which a network
#    trained on a third of the tiles is not; as baselines they are ranked with the
#    other students, which answers whether MTKD beats its own teachers;
# 3. 'mtkd': loads the three teachers and starts from the student alone, all four
#    through `checkpoints`.  As for every distiller of changedet_quick, the loaded runs
#    are fixed (each entry's seed 0) for every MTKD seed; teacher_seed='same' would
#    load the runs of the MTKD seed instead;
# 4. 'mtkd-no-distill': step 3 with the distillation weight at 0, i.e. the student
#    alone trained for a second schedule from its own weights with the same data and
#    random streams.  Step 3 starts from a trained student, so its paired difference
#    to the student alone holds the second schedule as well as the teachers; the
#    difference between 'mtkd' and this row is the teachers' part.
_base_ = ['./changedet_quick.py']

suite = 'changedet-mtkd'

leaderboards = [
    dict(name='changedet-mtkd',
         title='Change detection, synthetic LEVIR-CD: MTKD (quick CPU protocol, 3 seeds)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'],
         higher_is_better=True, metric_digits=2),
]

# MTKD's loss weight as chosen on the val split by changedet_mtkd_tuning.py (empty:
# the config's default, Open-CD's 1e-3, until that grid has finished)
tuning_board = 'changedet-mtkd-tuning'
tuned = dict(mtkd={'model.distiller.distill_losses.loss_mtkd.loss_weight': 0.001})  # val F1 89.87
# underscore names of the base are not visible here
_partitions = ('small', 'medium', 'large')
_teacher = 'configs/mtkd/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-{}-128x128.py'
entries = [
    dict(name='student', role='student', method='student',
         config='configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'),
] + [
    dict(name=f'mtkd-teacher-{p}', role='baseline', method='mtkd-teacher',
         config=_teacher.format(p))
    for p in _partitions
]
# step 3, and the same step with the distillation weight at 0 (the control)
_mtkd = dict(
    name='mtkd', role='distill', method='mtkd',
    config='configs/mtkd/mtkd_siam-r18w32_3xsiam-r18w32_1xb4-quick_synth-levir-cd-128x128.py',
    checkpoints={**{f'model.teachers.{p}.ckpt': f'mtkd-teacher-{p}' for p in _partitions},
                 'model.student.init_cfg.checkpoint': 'student'},
    cfg_options=tuned['mtkd'])
entries += [
    _mtkd,
    dict(_mtkd, name='mtkd-no-distill', role='baseline', method='mtkd-no-distill',
         cfg_options={'model.distiller.distill_losses.loss_mtkd.loss_weight': 0.0}),
]
