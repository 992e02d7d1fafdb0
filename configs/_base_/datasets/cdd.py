# CDD season-varying change detection (Lebedev et al. 2018): 256 x 256 crops,
# 10000 train / 3000 val / 3000 test. Layout data_root/{train,val,test}/{A,B,OUT}/
# with .jpg images AND .jpg labels, so labels are binarised at 128 ('0-255-lossy').
dataset_type = 'CDDDataset'
data_root = 'data/cdd'
crop_size = (256, 256)
train_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
    dict(type='LoadBiTemporalAnnotations', label_format='0-255-lossy'),
    dict(type='BiTemporalRandomCrop', crop_size=crop_size),
    dict(type='BiTemporalRandomFlip', prob=0.5, direction=['horizontal', 'vertical']),
    dict(type='BiTemporalRandomRot90', prob=0.5),
    dict(type='BiTemporalPhotoMetricDistortion'),
    dict(type='BiTemporalSwap', prob=0.5),
    dict(type='PackBiTemporalInputs'),
]
test_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
    dict(type='LoadBiTemporalAnnotations', label_format='0-255-lossy'),
    dict(type='PackBiTemporalInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='train/A', img_path2='train/B', seg_map_path='train/OUT'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='val/A', img_path2='val/B', seg_map_path='val/OUT'),
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='test/A', img_path2='test/B', seg_map_path='test/OUT'),
        pipeline=test_pipeline))
val_evaluator = dict(type='ChangeDetectionMetric')
test_evaluator = val_evaluator
