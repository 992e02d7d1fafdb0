# Light LinkNet student of TSKD-Road: ResNet-18 encoder at half width
# (base_channels=32: stages 32/64/128/256) and a LinkNet decoder, no centre block;
# data preprocessing, FCN classifier and losses as dlinknet34.py.
_base_ = ['./dlinknet34.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='LinkNet',
        encoder=dict(type='ResNet', depth=18, in_channels=3, stem_channels=32,
                     base_channels=32, out_indices=(0, 1, 2, 3), norm_cfg=_base_.norm_cfg,
                     norm_eval=False, style='pytorch'),
        encoder_channels=(32, 64, 128, 256), final_channels=16),
    decode_head=dict(in_channels=16, channels=16))
