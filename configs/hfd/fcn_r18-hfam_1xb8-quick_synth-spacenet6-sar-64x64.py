# Quick CPU variant of the SAR-only HFD-Net student on synthetic SpaceNet 6
# tiles (python tools/dataset_converters/generate_synthetic_spacenet6.py
# data/synthetic_spacenet6): ResNet-18, 300 iterations.
# Measured (seed 0, default synthetic data, 16 val tiles): mIoU 76.34,
# building F1 71.48, polygon F1 66.67 after 300 iterations; about 2 min of
# CPU time with OMP_NUM_THREADS=1.
_base_ = [
    '../_base_/recipes/fcn_r18-hfam_quick.py', '../_base_/datasets/spacenet6_sar_synthetic.py'
]
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
model = dict(data_preprocessor=data_preprocessor, backbone=dict(in_channels=4))
