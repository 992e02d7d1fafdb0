# FRD + pixel-wise KD on the change logits (the optional third term) on WHU-CD: the
# FRD config plus the KDLoss of configs/kd (temperature 2, weight 1).
_base_ = ['./frd_siam-r18w32_siam-r50_1xb8-20k_whu-cd-256x256.py', '../_base_/distillers/kd.py']

model = dict(distiller=_base_.pop('kd_distiller'))
