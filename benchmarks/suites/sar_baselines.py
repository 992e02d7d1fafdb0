# The generic distillers on the quick EO -> SAR protocol (HFD-Net family network):
# KD, FitNet, IFVD, CIRKD, DKD, CWD, AT, affinity, DIST, MGD. Same data, schedules, seeds, threads and tuned weights as
# sar_quick.py, with its own EO
# teacher and SAR student-alone rows (shared with sar_quick's identical runs, not
# trained again; paired seed by seed within this suite). Outside
# the quick collection (quick.py):
#   python tools/run_benchmark.py benchmarks/suites/sar_baselines.py
_base_ = ['./sar_quick.py']
suite = 'sar-baselines'
leaderboards = [
    dict(name='sar-quick-baselines', title='EO -> SAR building segmentation, HFD-Net family '
         'network: generic distillers (synthetic SpaceNet 6, quick CPU protocol, 3 seeds)',
         main_metric='building_F1', metrics=['building_F1', 'mIoU', 'OA', 'Kappa'],
         higher_is_better=True),
]
_teacher = 'eo-teacher'
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=m, role='distill', method=m, teacher=_teacher,
         budget_s=dict(ifvd=165, cirkd=215).get(m, 165),
         config=_base_.method_configs[m], cfg_options=_base_.tuned[m])
    for m in ('kd', 'fitnet', 'ifvd', 'cirkd', 'dkd', 'cwd', 'at', 'affinity', 'dist', 'mgd')
]
