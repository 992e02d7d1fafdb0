# Full change-detection benchmark on LEVIR-CD (GPU): teacher once, every
# student configuration over three seeds.
# Cluster:  python tools/run_benchmark.py benchmarks/suites/changedet_levir.py --emit slurm --out cd.sh
suite = 'changedet-levir'
family = 'changedet'
seeds = [0, 1, 2]

data_root = 'data/levir_cd'
dataset = dict(name='LEVIR-CD (official train/val/test, 637 pairs of 1024x1024 at 0.5 m)',
               data_root=data_root)
evaluation = dict(
    split='test',
    protocol='official test split, evaluated as the configs\' test pipeline defines '
    '(256x256 crops, suffix -256); change-class precision, recall, F1, IoU plus OA and '
    'Kappa; F1 ranks')

cfg_options = {}

leaderboards = [
    dict(name='changedet-levir', title='Change detection, LEVIR-CD (256 px crops)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'],
         higher_is_better=True, metric_digits=2),
]

_cd = 'configs/changedet/'
_teacher = 'siam-r50'
_kd = '_siam-r50-r18w32_1xb8-20k_levir-cd-256.py'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', seeds=[0],
         config=_cd + 'siam_r50-fpn_1xb8-20k_levir-cd-256.py'),
    dict(name='student', role='student', method='student',
         config=_cd + 'siam_r18w32-fpn_1xb8-20k_levir-cd-256.py'),
] + [
    dict(name=m, role='distill', method=m, teacher=_teacher,
         config=f'configs/{m}/{m}{_kd}', placeholder=True)
    for m in ('kd', 'cwd', 'fitnet', 'at', 'frd')
]
