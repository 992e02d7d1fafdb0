# FRD = BFDD + CCRD (bi-temporal feature relational distillation): the BFDD
# config plus the CCRD term of ccrd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py,
# same options. Siamese ResNet-18 (half width) student, siamese ResNet-50
# teacher, LEVIR-CD 256 crops, 20k iterations.
_base_ = [
    './bfdd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py', '../_base_/distillers/ccrd_frd.py'
]

model = dict(distiller=_base_.pop('ccrd_distiller'))
