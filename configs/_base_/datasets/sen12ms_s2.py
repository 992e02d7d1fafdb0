# SEN12MS, Sentinel-2 only (EO teacher): 13 bands (uint16 reflectance x
# 10000); pixels where Sentinel-1 has no data are ignored.
_base_ = ['./sen12ms_s1.py']
s2_load_pipeline = [
    dict(type='LoadPairedModalities', student='eo', teacher=None,
         sar_bands=2, eo_bands=13, sar_nodata_from_file=True),
    dict(type='LoadSEN12MSLandCover'),
    dict(type='MaskSARNoData'),
]
train_pipeline = s2_load_pipeline + [
    dict(type='PairedRandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='PairedRandomFlip', prob=0.5,
         direction=['horizontal', 'vertical']),
    dict(type='PairedRandomRot90', prob=0.5),
    dict(type='PackPairedSegInputs'),
]
test_pipeline = s2_load_pipeline + [dict(type='PackPairedSegInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
