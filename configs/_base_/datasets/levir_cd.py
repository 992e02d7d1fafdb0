# LEVIR-CD (Chen & Shi 2020): 637 pairs of 1024 x 1024 px Google Earth tiles,
# 0.5 m/px, building change; official split 445 train / 64 val / 128 test.
# Layout: data_root/{train,val,test}/{A,B,label}/<name>.png, labels 0/255.
# Training on random 256 crops; validation and test on whole 1024 tiles (the
# model's test_cfg slides 256 windows, see configs/changedet/README.md).
dataset_type = 'LEVIRCDDataset'
data_root = 'data/levir_cd'
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


def _split(split, pipeline):
    return dict(type=dataset_type, data_root=data_root, pipeline=pipeline,
                data_prefix=dict(img_path=f'{split}/A', img_path2=f'{split}/B',
                                 seg_map_path=f'{split}/label'))


train_dataloader = dict(
    batch_size=8,
    # one worker delivers about 9 samples/s (two 1024 px PNGs per sample); on an H200
    # the FRD step (batch 8) needs 8.5 workers (benchmarks/README.md, GPU readiness)
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=_split('train', train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=_split('val', test_pipeline))
test_dataloader = dict(val_dataloader, dataset=_split('test', test_pipeline))
val_evaluator = dict(type='ChangeDetectionMetric')
test_evaluator = val_evaluator
