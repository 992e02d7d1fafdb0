# S2Looking (Shen et al. 2021): side-looking satellite pairs, 1024 x 1024 px,
# 0.5-0.8 m/px, building change, 3500 train / 500 val / 1000 test.
# Layout data_root/{train,val,test}/{Image1,Image2,label}/ PNGs (labels 0/255).
dataset_type = 'S2LookingDataset'
data_root = 'data/s2looking'
crop_size = (256, 256)
train_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
    dict(type='LoadBiTemporalAnnotations', label_format='auto'),
    dict(type='BiTemporalRandomCrop', crop_size=crop_size),
    dict(type='BiTemporalRandomFlip', prob=0.5, direction=['horizontal', 'vertical']),
    dict(type='BiTemporalRandomRot90', prob=0.5),
    dict(type='BiTemporalPhotoMetricDistortion'),
    dict(type='BiTemporalSwap', prob=0.5),
    dict(type='PackBiTemporalInputs'),
]
test_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
    dict(type='LoadBiTemporalAnnotations', label_format='auto'),
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
        data_prefix=dict(
            img_path='train/Image1', img_path2='train/Image2', seg_map_path='train/label'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='val/Image1', img_path2='val/Image2', seg_map_path='val/label'),
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='test/Image1', img_path2='test/Image2', seg_map_path='test/label'),
        pipeline=test_pipeline))
val_evaluator = dict(type='ChangeDetectionMetric')
test_evaluator = val_evaluator
