# DisOptNet's SAR network (stage 2 of configs/disoptnet/): a ResNet-V1c encoder whose
# stem and first 2 stages are shared by a SAR branch and a distillation branch, each
# with its own 2 deep stages and DeepLabV3+ decoder, and a fusion head, the only
# output at inference. ResNet-50 at output stride 8 on the 4 SAR bands; every output
# is trained with CE + class-mean Dice (`seg_losses`). Statistics and the encoder's
# initialisation are set by the config.
norm_cfg = dict(type='BN', requires_grad=True)
seg_losses = [dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
              dict(type='ClassMeanDiceLoss', loss_weight=1.0)]
data_preprocessor = dict(
    type='PairedModalityDataPreProcessor', mean=None, std=None,
    pad_val=0, seg_pad_val=255, size_divisor=32)
# DeepLabV3+ decoder of each branch; no dropout: its feature feeds the fusion
# head (and is matched to the teacher's decoder feature).
branch_head = dict(
    type='DepthwiseSeparableASPPHead', in_channels=2048, in_index=3,
    channels=512, dilations=(1, 12, 24, 36), c1_in_channels=256, c1_channels=48,
    dropout_ratio=0.0, num_classes=2, norm_cfg=norm_cfg, align_corners=False,
    loss_decode=seg_losses)
model = dict(
    type='DisOptNet',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c', depth=50, in_channels=4, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg, norm_eval=False, style='pytorch', contract_dilation=True),
    num_shared_stages=2,
    decode_head=branch_head,
    distill_head=branch_head,
    fusion_head=dict(type='DisOptNetFusionHead', in_channels=512, num_classes=2),
    loss_fuse=seg_losses,
    train_cfg=dict(), test_cfg=dict(mode='whole'))
