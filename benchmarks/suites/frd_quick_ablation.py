# FRD's parts on the quick change-detection protocol: what each half of FRD (BFDD,
# CCRD) and two of its choices (BFDD's random stage pairs across depths, CCRD's
# contrastive term) do to the student, seed by seed. Same data, schedules, seeds,
# threads, teacher and split as changedet_quick.py; FRD with its tuned weights (BFDD
# 1.0, CCRD 0.1). The teacher, the student alone and FRD are changedet_quick's runs
# (shared, not trained again). An ablation, not a tuning: nothing here changes what
# changedet_quick.py trains. Outside the quick collection (quick.py):
#   python tools/run_benchmark.py benchmarks/suites/frd_quick_ablation.py
_base_ = ['./changedet_quick.py']
suite = 'frd-quick-ablation'
leaderboards = [
    dict(name='frd-quick-ablation', title='FRD ablation, synthetic LEVIR-CD (quick CPU '
         'protocol, 3 seeds)', main_metric='F1',
         metrics=['F1', 'IoU', 'precision', 'recall'], higher_is_better=True),
]
tuning_board = None                 # nothing here is tuned

_teacher = 'siam-r50w32'
_L = 'model.distiller.distill_losses.'
_frd = _base_.tuned['frd']
_same_depth = [[0, 0], [1, 1], [2, 2], [3, 3]]
variants = {
    'frd': {},
    'frd-bfdd-only': {_L + 'loss_ccrd.loss_weight': 0.0},
    'frd-ccrd-only': {_L + 'loss_bfdd.loss_weight': 0.0},
    # BFDD compares only stages of the same depth (4 of the 16 pairs)
    'frd-same-depth': {_L + 'loss_bfdd.pairs': _same_depth},
    # CCRD without its InfoNCE term (pixel KL and relation MSE only)
    'frd-no-contrast': {_L + 'loss_ccrd.contrast_weight': 0.0},
}
entries = _base_.entries[:2] + [
    dict(name=name, role='distill', method=name, teacher=_teacher, budget_s=195,
         config='configs/frd/frd_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py',
         cfg_options={**_frd, **options})
    for name, options in variants.items()
]
