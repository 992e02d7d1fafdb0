# HFD-Net segmentation network (teacher and student share it): the ResNet-V1c
# encoder of resnet_v1c_paired.py, HFAM neck (flow-aligned multi-scale aggregation
# to 1/4 scale), FCN head. The input channel count (`backbone.in_channels`) and the
# data preprocessor statistics are set by the method config per modality.
_base_ = ['./resnet_v1c_paired.py']
model = dict(
    neck=dict(type='HFAMNeck', in_channels=[256, 512, 1024, 2048],
              channels=128, out_mode='fused', norm_cfg=_base_.norm_cfg),
    decode_head=dict(
        type='FCNHead', in_channels=128, in_index=0, channels=128,
        num_convs=1, concat_input=False, dropout_ratio=0.1, num_classes=2,
        norm_cfg=_base_.norm_cfg, align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False,
                         loss_weight=1.0)))
