# SEN12MS paired Sentinel-1 (student `inputs`) + Sentinel-2 (teacher
# `teacher_inputs`) for distillation; validation / test Sentinel-1 only.
_base_ = ['./sen12ms_s1.py']
paired_load_pipeline = [
    dict(type='LoadPairedModalities', student='sar', teacher='eo',
         sar_bands=2, eo_bands=13),
    dict(type='LoadSEN12MSLandCover'),
    dict(type='SARToDecibel', input_unit='db', clip_range={{_base_.s1_clip}}),
    dict(type='MaskSARNoData', fill_value={{_base_.s1_mean}}),
]
# the augmentations of sen12ms_s1.py after the loading
train_pipeline = paired_load_pipeline + _base_.train_pipeline[len(_base_.s1_load_pipeline):]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
