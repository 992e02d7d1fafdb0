# Xu et al. (arXiv:2312.04744): stacked multitask hourglass (2 stacks, depth 3) with
# global-aware residual blocks; segmentation (2) + connectivity (5) outputs with
# intermediate supervision. Needs LoadRoadAnnotations + PackRoadInputs (gt_conn_map).
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True, pad_val=0, seg_pad_val=255,
    size_divisor=32)  # stem /4 x hourglass depth 3 (/8)
num_stacks = 2
model = dict(
    type='RoadMultitaskSegmentor',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(type='StackedHourglassGA', in_channels=3, stem_channels=64, channels=128,
                  num_stacks=num_stacks, depth=3, num_classes=2, num_conn_classes=5,
                  use_ga=True),
    decode_head=dict(
        type='RoadConnectivityHead',
        in_channels=128, channels=64, in_index=num_stacks - 1,
        intermediate_logit_index=tuple(range(num_stacks, 2 * num_stacks)),
        num_classes=2, num_conn_classes=5, upsample_factor=4, dropout_ratio=0.0,
        norm_cfg=norm_cfg, align_corners=False,
        loss_decode=dict(type='SoftIoULoss', loss_weight=1.0),
        loss_conn=dict(type='ClassBalancedCrossEntropyLoss', c=1.02, loss_weight=1.0),
        intermediate_loss_weight=1.0),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
