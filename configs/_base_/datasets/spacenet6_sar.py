# SpaceNet 6 (Rotterdam), SAR-only: the student modality (SAR-Intensity,
# HH/HV/VH/VV) is `img`; no teacher image is loaded. Buildings (class 1)
# are rasterised from the geojson (footprints < 20 m^2 dropped); pixels
# without SAR measurement are label 255 (ignored by loss and metric) and
# then filled with `sar_fill` (per band: the band means, i.e. 0 after
# normalisation). Tiles of strips imaged from the south are turned by 180
# degrees at load time (SAR_orientations.txt), so layover points up in every
# tile: augmentations keep that, hence horizontal flips only (a vertical
# flip or a 90-degree turn would reverse / rotate the layover direction).
# Prepare: python tools/dataset_converters/spacenet6.py <data_root>
dataset_type = 'SpaceNet6Dataset'
data_root = 'data/spacenet6/train/AOI_11_Rotterdam'
crop_size = (512, 512)
# SAR-Intensity values are stored log-scaled (dB-like): no log here, only
# the clip; real tiles mark nodata with 0 in all bands.
sar_unit = 'db'
sar_clip = (-40.0, 60.0)
sar_nodata_value = 0.0
# Per-band statistics of the training SAR; recompute for your copy with
# tools/dataset_converters/spacenet6.py (writes splits/stats.json).
sar_mean = [-13.74, -18.70, -18.56, -14.31]
sar_std = [6.78, 6.05, 6.00, 6.01]
sar_fill = sar_mean

sar_load_pipeline = [
    dict(type='LoadPairedModalities', student='sar', teacher=None,
         sar_bands=4, sar_nodata_value=sar_nodata_value),
    dict(type='LoadBuildingFootprints', min_area_m2=20.0),
    dict(type='SARToDecibel', input_unit=sar_unit, clip_range=sar_clip),
    dict(type='MaskSARNoData', fill_value=sar_fill),
]
train_pipeline = sar_load_pipeline + [
    dict(type='PairedRandomCrop', crop_size=crop_size),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPairedSegInputs'),
]
test_pipeline = sar_load_pipeline + [dict(type='PackPairedSegInputs')]
# one worker delivers about 8 samples/s (900 px SAR tiles, footprints rasterised once
# per tile); on an H200 the HFD-Net step (batch 8) would need 11 workers
# (benchmarks/README.md, GPU readiness): 8 is what a 16-core node gives one GPU
train_dataloader = dict(
    batch_size=8, num_workers=8, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='splits/train.txt', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='splits/val.txt', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='SegmentationMetric', polygon_f1=True)
test_evaluator = val_evaluator
