# HFD-Net EO teacher on SEN12MS: the student's architecture on the 13
# Sentinel-2 bands, 10 DFC2020 land-cover classes.
_base_ = ['../_base_/recipes/fcn_r50-hfam_20k.py', '../_base_/datasets/sen12ms_s2.py']
data_preprocessor = dict(mean={{_base_.s2_mean}}, std={{_base_.s2_std}})
# the ImageNet encoder's stem conv takes 3 bands: the 13-band one starts random
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=13),
             decode_head=dict(num_classes=10))
# tools/test.py --show-dir writes S1 (dB) | S2 (B4, B3, B2) | truth | pred.
visualizer = dict(eo_rgb_bands=(3, 2, 1))
