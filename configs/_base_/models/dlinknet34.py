# D-LinkNet-34 (Zhou et al., CVPR-W 2018): ResNet-34 encoder (mmseg ResNet), dilated
# centre block (cascaded dilations 1, 2, 4, 8) and LinkNet decoder to full
# resolution; the dense teacher of TSKD-Road. No ImageNet weights here (the quick
# configs never download): the full-scale configs set the encoder's init_cfg to
# torchvision's ResNet-34 (torchvision://resnet34, as D-LinkNet).
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size_divisor=32)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='DLinkNet',
        encoder=dict(type='ResNet', depth=34, in_channels=3, out_indices=(0, 1, 2, 3),
                     norm_cfg=norm_cfg, norm_eval=False, style='pytorch'),
        encoder_channels=(64, 128, 256, 512), final_channels=32, dilations=(1, 2, 4, 8)),
    decode_head=dict(
        type='FCNHead', in_channels=32, channels=32, in_index=-1, num_convs=0,
        concat_input=False, num_classes=2, dropout_ratio=0.0, norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=[dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
                     dict(type='DiceLoss', loss_weight=1.0)]),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
