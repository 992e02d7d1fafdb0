# The generic distillers (KD, CWD, FitNet, AT, affinity, DIST, MGD, IFVD, CIRKD, DKD)
# on the quick change-detection protocol: same data, schedules, seeds, threads, teacher
# schedule and tuned weights as changedet_quick.py, with its own teacher and
# student-alone rows (the runner shares those runs with changedet_quick's identical ones
# instead of training them again; the comparison is paired seed by
# seed within this suite). Outside the quick collection (quick.py):
#   python tools/run_benchmark.py benchmarks/suites/changedet_baselines.py
_base_ = ['./changedet_quick.py']
suite = 'changedet-baselines'
leaderboards = [
    dict(name='changedet-levir-quick-baselines',
         title='Change detection, synthetic LEVIR-CD: generic distillers (quick CPU '
         'protocol, 3 seeds)', main_metric='F1',
         metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'], higher_is_better=True),
]
_teacher = 'siam-r50w32'
_kd = '_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=m, role='distill', method=m, teacher=_teacher,
         budget_s=dict(ifvd=215, cirkd=215, dkd=215).get(m, 195),
         config=f'configs/{m}/{m}{_kd}', cfg_options=_base_.tuned[m])
    for m in ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist', 'mgd', 'ifvd', 'cirkd', 'dkd')
]
