# IFVD, CIRKD and DKD on the quick EO -> SAR protocol (HFD-Net family network): same
# data, schedules, seeds, threads and tuned weights as sar_quick.py, with its own EO
# teacher and SAR student-alone rows (shared with sar_quick's identical runs, not
# trained again; paired seed by seed within this suite). Outside
# the quick collection (quick.py):
#   python tools/run_benchmark.py benchmarks/suites/sar_baselines.py
_base_ = ['./sar_quick.py']
suite = 'sar-baselines'
leaderboards = [
    dict(name='sar-quick-baselines', title='EO -> SAR building segmentation: IFVD, CIRKD, '
         'DKD (synthetic SpaceNet 6, quick CPU protocol, 3 seeds)',
         main_metric='building_F1', metrics=['building_F1', 'mIoU', 'OA', 'Kappa'],
         higher_is_better=True),
]
_teacher = 'eo-teacher'
_tail = '_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py'
# the teacher and the student alone exactly as in the base suite
entries = _base_.entries[:2] + [
    dict(name=m, role='distill', method=m, teacher=_teacher,
         budget_s=dict(ifvd=165, cirkd=215, dkd=165)[m],
         config=f'configs/{m}/{m}{_tail}', cfg_options=_base_.tuned[m])
    for m in ('ifvd', 'cirkd', 'dkd')
]
