# FRD = BFDD + CCRD on WHU-CD: the BFDD config of WHU-CD plus the CCRD term of
# ccrd_siam-r18w32_siam-r50_1xb8-20k_whu-cd-256x256.py, same options as on LEVIR-CD
# (frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py).
_base_ = [
    './bfdd_siam-r18w32_siam-r50_1xb8-20k_whu-cd-256x256.py', '../_base_/distillers/ccrd_frd.py'
]

model = dict(distiller=_base_.pop('ccrd_distiller'))
