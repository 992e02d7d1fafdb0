# SpaceNet 6 paired SAR (student, `img` -> `inputs`) + EO (teacher,
# `teacher_img` -> `teacher_inputs`) for EO -> SAR distillation. One random
# crop / flip moves SAR, EO and label together. Validation and test are
# SAR-only (no `teacher_inputs`), as at deployment.
_base_ = ['./spacenet6_sar.py']
eo_mean = [123.7, 116.3, 103.5]
eo_std = [58.4, 57.1, 57.4]

paired_load_pipeline = [
    dict(type='LoadPairedModalities', student='sar', teacher='eo',
         sar_bands=4, eo_bands=3,
         sar_nodata_value={{_base_.sar_nodata_value}}),
    dict(type='LoadBuildingFootprints', min_area_m2=20.0),
    dict(type='SARToDecibel', input_unit={{_base_.sar_unit}},
         clip_range={{_base_.sar_clip}}),
    dict(type='MaskSARNoData', fill_value={{_base_.sar_fill}}),
]
# the augmentations of spacenet6_sar.py after the loading
train_pipeline = paired_load_pipeline + _base_.train_pipeline[len(_base_.sar_load_pipeline):]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
