# SEN12MS, Sentinel-2 only (EO teacher): 13 bands (uint16 reflectance x
# 10000); pixels where Sentinel-1 has no data are ignored.
_base_ = ['./sen12ms_s1.py']
s2_load_pipeline = [
    dict(type='LoadPairedModalities', student='eo', teacher=None,
         sar_bands=2, eo_bands=13, sar_nodata_from_file=True),
    dict(type='LoadSEN12MSLandCover'),
    dict(type='MaskSARNoData'),
]
# the augmentations of sen12ms_s1.py after the loading
train_pipeline = s2_load_pipeline + _base_.train_pipeline[len(_base_.s1_load_pipeline):]
test_pipeline = s2_load_pipeline + [dict(type='PackPairedSegInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
