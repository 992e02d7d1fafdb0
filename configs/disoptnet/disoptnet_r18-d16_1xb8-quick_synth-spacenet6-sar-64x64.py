# Ablation of DisOptNet stage 2 (quick CPU variant): the same two-branch SAR
# network as
# disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4_1xb8-quick_synth-spacenet6-sar-64x64.py
# (shared stem + stages 1-2, SAR branch, second branch, fusion head, same
# losses on the SAR and fused outputs, same data and schedule as the SAR-only
# baseline) trained on the labels alone: no teacher, no distillation losses;
# the second branch learns only through the fused output. Against stage 2 it
# separates what the teacher adds from what the larger network adds.
_base_ = ['./deeplabv3plus_r18-d16_1xb8-quick_synth-spacenet6-sar-64x64.py']
norm_cfg = dict(type='BN', requires_grad=True)
seg_losses = [dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
              dict(type='ClassMeanDiceLoss', loss_weight=1.0)]
branch_head = dict(
    type='DepthwiseSeparableASPPHead', in_channels=512, in_index=3,
    channels=64, dilations=(1, 6, 12, 18), c1_in_channels=64, c1_channels=12,
    dropout_ratio=0.0, num_classes=2, norm_cfg=norm_cfg, align_corners=False,
    loss_decode=seg_losses)
model = dict(
    _delete_=True,
    type='DisOptNet',
    data_preprocessor={{_base_.data_preprocessor}},
    backbone=dict(
        type='ResNetV1c', depth=18, in_channels=4, num_stages=4,
        out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 2), strides=(1, 2, 2, 1),  # OS 16
        norm_cfg=norm_cfg, norm_eval=False, style='pytorch', contract_dilation=True),
    num_shared_stages=2,
    decode_head=branch_head,
    distill_head=branch_head,
    fusion_head=dict(type='DisOptNetFusionHead', in_channels=64, num_classes=2),
    loss_fuse=seg_losses,
    train_cfg=dict(), test_cfg=dict(mode='whole'))
