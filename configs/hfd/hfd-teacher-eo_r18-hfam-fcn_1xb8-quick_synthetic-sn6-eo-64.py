# Quick CPU variant of the HFD-Net EO teacher on synthetic SpaceNet 6 tiles
# (same network as the quick SAR student, 3-band PS-RGB input).
# Measured (seed 0, default synthetic data, 16 val tiles): mIoU 89.60,
# building F1 89.20, polygon F1 97.20 after 300 iterations; about 2 min of
# CPU time with OMP_NUM_THREADS=1.
_base_ = [
    '../_base_/models/resnet_hfam_fcn.py',
    '../_base_/datasets/spacenet6_eo_synthetic.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_quick.py'
]
data_preprocessor = dict(mean={{_base_.eo_mean}}, std={{_base_.eo_std}})
model = dict(
    data_preprocessor=data_preprocessor,
    backbone=dict(depth=18, in_channels=3),
    neck=dict(in_channels=[64, 128, 256, 512], channels=64),
    # CE + class-mean Dice (as the DisOptNet quick networks): with CE alone the quick
    # runs often stayed at the all-background solution (building F1 0)
    decode_head=dict(in_channels=64, channels=64, loss_decode=[
        dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
        dict(type='ClassMeanDiceLoss', loss_weight=1.0)]))
# tools/test.py --show-dir writes SAR (dB) | EO | ground truth | prediction.
visualizer = dict(type='SAREOVisualizer', name='visualizer',
                  vis_backends=[dict(type='LocalVisBackend')])
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
