# HFD-Net SAR student trained alone (the "SAR-only" / student baseline):
# the same network as the EO teacher, on 4-band SAR-Intensity (dB).
_base_ = ['../_base_/recipes/fcn_r50-hfam_20k.py', '../_base_/datasets/spacenet6_sar.py']
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
# the ImageNet encoder's stem conv takes 3 bands: the 4-band one starts random
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=4))
