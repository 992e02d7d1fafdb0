# SEN12MS, Sentinel-1 only (SAR student): 2 bands VV, VH, already in dB;
# clipped to [-25, 0] dB. Labels: IGBP land cover mapped to the 10 DFC2020
# classes (see mmkd_rs.datasets.sar_optical.sen12ms.IGBP_TO_DFC2020); IGBP 0
# (no data) is ignored. No orientation flip (Sentinel-1 GRD is geocoded and
# the layover direction does not matter at 10 m).
# Prepare: python tools/dataset_converters/sen12ms.py <data_root>
dataset_type = 'SEN12MSDataset'
data_root = 'data/sen12ms'
crop_size = (256, 256)
s1_clip = (-25.0, 0.0)
# Statistics of the training split: recompute with the converter
# (splits/stats.json); these are placeholders of the right magnitude.
s1_mean = [-11.0, -18.0]
s1_std = [4.0, 4.0]
s2_mean = [1350.0] * 13
s2_std = [900.0] * 13

s1_load_pipeline = [
    dict(type='LoadPairedModalities', student='sar', teacher=None,
         sar_bands=2, eo_bands=13),
    dict(type='LoadSEN12MSLandCover'),
    dict(type='SARToDecibel', input_unit='db', clip_range=s1_clip),
    dict(type='MaskSARNoData', fill_value=s1_mean),
]
train_pipeline = s1_load_pipeline + [
    dict(type='PairedRandomCrop', crop_size=crop_size),
    dict(type='PairedRandomFlip', prob=0.5,
         direction=['horizontal', 'vertical']),
    dict(type='PairedRandomRot90', prob=0.5),
    dict(type='PackPairedSegInputs'),
]
test_pipeline = s1_load_pipeline + [dict(type='PackPairedSegInputs')]
train_dataloader = dict(
    batch_size=16, num_workers=4, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='splits/train.txt', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='splits/val.txt', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='SegmentationMetric')
test_evaluator = val_evaluator
