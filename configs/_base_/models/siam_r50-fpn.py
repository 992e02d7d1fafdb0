# Siamese change detector, teacher size: shared ResNet-50-V1c encoder on both
# dates (stacked on the batch axis), per-stage |fA - fB| fusion, FPN + FPNHead.
# Inputs: two RGB dates concatenated on channels (A first), 8-bit values.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='BiTemporalDataPreProcessor',
    mean=[[123.675, 116.28, 103.53], [123.675, 116.28, 103.53]],
    std=[[58.395, 57.12, 57.375], [58.395, 57.12, 57.375]],
    size_divisor=32,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='SiameseChangeSegmentor',
    data_preprocessor=data_preprocessor,
    in_channels_per_date=(3, 3),
    # None here (the quick configs never download): the full-scale config starts the
    # encoder from open-mmlab://resnet50_v1c (its backbone.init_cfg), as mmseg's ResNets.
    pretrained=None,
    backbone=dict(
        type='ResNetV1c',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 1, 1),
        strides=(1, 2, 2, 2),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True),
    fusion_neck=dict(
        type='BiTemporalFusionNeck', in_channels=[256, 512, 1024, 2048], policy='abs_diff'),
    neck=dict(type='FPN', in_channels=[256, 512, 1024, 2048], out_channels=256, num_outs=4),
    decode_head=dict(
        type='FPNHead',
        in_channels=[256, 256, 256, 256],
        in_index=[0, 1, 2, 3],
        feature_strides=[4, 8, 16, 32],
        channels=128,
        dropout_ratio=0.1,
        num_classes=2,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)),
    train_cfg=dict(),
    # Locked evaluation protocol (configs/changedet/README.md): whole tiles,
    # sliding 256 windows, stride 256, no TTA.
    test_cfg=dict(mode='slide', crop_size=(256, 256), stride=(256, 256)))
