# Full change-detection benchmark on LEVIR-CD (GPU): the teacher once, the
# student alone and every distiller over three seeds, 20k iterations each.
#   python tools/run_benchmark.py benchmarks/suites/changedet_levir.py --emit slurm --out cd.sh
suite = 'changedet-levir'
family = 'changedet'
seeds = [0, 1, 2]

data_root = 'data/levir_cd'
dataset = dict(name='LEVIR-CD (official train/val/test, 637 pairs of 1024x1024 at 0.5 m)',
               data_root=data_root)
evaluation = dict(
    split='test',
    protocol='official test split as the configs\' test pipeline defines it (suffix -256: '
    '256x256 crops); change-class precision, recall, F1, IoU plus OA and Kappa; F1 ranks',
    input_shape=(256, 256))

cfg_options = {}

leaderboards = [
    dict(name='changedet-levir', title='Change detection, LEVIR-CD (256 px crops, 20k iters)',
         main_metric='F1', metrics=['F1', 'IoU', 'precision', 'recall', 'OA', 'Kappa'],
         higher_is_better=True, metric_digits=2,
         # the method READMEs' markers use this name too
         aliases=['changedet-levir-cd-20k']),
]

_teacher = 'siam-r50'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', seeds=[0],
         config='configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256x256.py'),
    dict(name='student', role='student', method='student',
         config='configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py'),
] + [
    dict(name=m, role='distill', method=m, teacher=_teacher, placeholder=True,
         config=f'configs/{m}/{m}_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py')
    for m in ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist', 'frd')
]
