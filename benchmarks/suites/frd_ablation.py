# FRD ablation on LEVIR-CD and WHU-CD (GPU): components of FRD against the
# baseline distillers, each dataset with its own teacher; three seeds.
#   python tools/run_benchmark.py benchmarks/suites/frd_ablation.py --emit dist --out frd.sh
suite = 'frd-ablation'
family = 'changedet'
seeds = [0, 1, 2]

dataset = dict(name='LEVIR-CD and WHU-CD (data/levir_cd, data/whu_cd)')
evaluation = dict(
    split='test',
    protocol='official test splits, 256x256 crops as the configs define them; '
    'change-class F1 ranks')

leaderboards = [
    dict(name='frd-levir', title='FRD ablation, LEVIR-CD (256 px crops, 20k iters)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall']),
    dict(name='frd-whu', title='FRD ablation, WHU-CD (256 px crops, 20k iters)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall']),
]

_methods = ['kd', 'cwd', 'fitnet', 'at', 'bfdd', 'ccrd', 'frd', 'frd-kd']
_levir_only = ['bfdd-allpairs', 'ccrd-kmeans']
_pair = 'siam-r18w32_siam-r50'
# the baselines' configs keep the F1-best checkpoint: a variant of their own
_variant = dict(kd='kd-bestf1', cwd='cwd-bestf1', fitnet='fitnet-bestf1', at='at-bestf1')
entries = []
for _ds, _board in (('levir', 'frd-levir'), ('whu', 'frd-whu')):
    _teacher = f'teacher-{_ds}'
    entries += [
        dict(name=_teacher, role='teacher', method='teacher', seeds=[0], leaderboard=_board,
             config=f'configs/frd/siam-bestf1_r50-fpn_1xb8-20k_{_ds}-cd-256x256.py'),
        dict(name=f'student-{_ds}', role='student', method='student', leaderboard=_board,
             config=f'configs/frd/siam-bestf1_r18w32-fpn_1xb8-20k_{_ds}-cd-256x256.py'),
    ]
    for _m in _methods + (_levir_only if _ds == 'levir' else []):
        entries.append(dict(name=f'{_m}-{_ds}', role='distill', method=_m, teacher=_teacher,
                            leaderboard=_board, placeholder=True,
                            config=f'configs/frd/{_variant.get(_m, _m)}_{_pair}_1xb8-20k_'
                                   f'{_ds}-cd-256x256.py'))
