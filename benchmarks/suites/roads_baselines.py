# The generic distillers on the quick roads protocol (KD, IFVD, CIRKD, DKD, CWD,
# FitNet, AT, affinity, DIST, MGD). Same data, schedules, seeds, threads and
# tuned weights as roads_quick.py, with its own teacher and student-alone rows
# (shared with roads_quick's identical runs, not trained again; paired seed by seed
# within this suite). Outside the quick collection (quick.py):
#   python tools/run_benchmark.py benchmarks/suites/roads_baselines.py
_base_ = ['./roads_quick.py']
suite = 'roads-baselines'
leaderboards = [
    dict(name='roads-quick-baselines', title='Road extraction, synthetic scenes: generic '
         'distillers (quick CPU protocol, 3 seeds)',
         main_metric='IoU',
         metrics=['IoU', 'F1', 'relaxed_F1', 'clDice', 'APLS', 'TOPO_F1'],
         higher_is_better=True),
]
_teacher = 'dlinknet34'
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=m, role='distill', method=m, teacher=_teacher, budget_s=210 if m == 'kd' else 160,
         config=_base_.method_configs[m], cfg_options=_base_.tuned[m])
    for m in ('kd', 'ifvd', 'cirkd', 'dkd', 'cwd', 'fitnet', 'at', 'affinity', 'dist', 'mgd')
]
