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
train_pipeline = paired_load_pipeline + [
    dict(type='PairedRandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='PairedRandomFlip', prob=0.5,
         direction=['horizontal', 'vertical']),
    dict(type='PairedRandomRot90', prob=0.5),
    dict(type='PackPairedSegInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
