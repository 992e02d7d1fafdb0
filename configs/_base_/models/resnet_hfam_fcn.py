# HFD-Net segmentation network (teacher and student share it): ResNet-V1c
# encoder, HFAM neck (flow-aligned multi-scale aggregation to 1/4 scale),
# FCN head. The input channel count (`backbone.in_channels`) and the data
# preprocessor statistics are set by the method config per modality.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor', mean=None, std=None,
    pad_val=0, seg_pad_val=255, size_divisor=32)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ResNetV1c', depth=50, in_channels=3, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 1),
        strides=(1, 2, 2, 2), norm_cfg=norm_cfg, norm_eval=False,
        style='pytorch', contract_dilation=True),
    neck=dict(type='HFAMNeck', in_channels=[256, 512, 1024, 2048],
              channels=128, out_mode='fused', norm_cfg=norm_cfg),
    decode_head=dict(
        type='FCNHead', in_channels=128, in_index=0, channels=128,
        num_convs=1, concat_input=False, dropout_ratio=0.1, num_classes=2,
        norm_cfg=norm_cfg, align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False,
                         loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
