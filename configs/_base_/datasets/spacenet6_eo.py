# SpaceNet 6, EO-only (teacher training): PS-RGB is `img`. Labels are the
# same building masks, with the pixels outside the SAR swath ignored (the
# SAR file is read for its nodata mask only) so that teacher and student
# learn from the same pixels. To re-order / repeat bands append
# dict(type='SelectBands', modality='eo', indices=...) to eo_load_pipeline:
# DisOptNet feeds [B, R, R, G] = (2, 0, 0, 1) so that the teacher's stem has
# the 4 input channels of the SAR student (configs/disoptnet/).
_base_ = ['./spacenet6_sar.py']
eo_mean = [123.7, 116.3, 103.5]
eo_std = [58.4, 57.1, 57.4]

eo_load_pipeline = [
    dict(type='LoadPairedModalities', student='eo', teacher=None,
         sar_bands=4, eo_bands=3, sar_nodata_from_file=True,
         sar_nodata_value={{_base_.sar_nodata_value}}),
    dict(type='LoadBuildingFootprints', min_area_m2=20.0),
    dict(type='MaskSARNoData'),
]
# the augmentations of spacenet6_sar.py after the loading
train_pipeline = eo_load_pipeline + _base_.train_pipeline[len(_base_.sar_load_pipeline):]
test_pipeline = eo_load_pipeline + [dict(type='PackPairedSegInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
