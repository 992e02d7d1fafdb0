# HFD-Net EO teacher: the student's architecture on PS-RGB (labels ignored
# outside the SAR swath). Train it first; the distillation configs load it
# frozen.
_base_ = ['../_base_/recipes/fcn_r50-hfam_20k.py', '../_base_/datasets/spacenet6_eo.py']
data_preprocessor = dict(mean={{_base_.eo_mean}}, std={{_base_.eo_std}})
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=3))
