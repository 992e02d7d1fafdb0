# Massachusetts Roads (1 m, 1500 x 1500), converted with
#   python tools/dataset_converters/massachusetts.py data/massachusetts -o data/massachusetts_roads
# (official training / validation / test splits -> train / val / test).
dataset_type = 'MassachusettsRoadsDataset'
data_root = 'data/massachusetts_roads'
crop_size = (512, 512)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=[0.25, 0.25], direction=['horizontal', 'vertical']),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackRoadInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRoadAnnotations'),
    dict(type='PackRoadInputs'),
]


def _split(split, pipeline):
    return dict(type=dataset_type, data_root=data_root, pipeline=pipeline,
                data_prefix=dict(img_path=f'img_dir/{split}', seg_map_path=f'ann_dir/{split}',
                                 conn_path=f'conn_dir/{split}'))


train_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=_split('train', train_pipeline))
val_dataloader = dict(batch_size=1, num_workers=2, persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=_split('val', test_pipeline))
test_dataloader = dict(val_dataloader, dataset=_split('test', test_pipeline))
# road IoU/F1, relaxed F1 (rho px), clDice, connectivity mIoU, APLS and TOPO (gsd m/px)
val_evaluator = dict(type='RoadMetric', gsd=1.0, rho=3, graph_interval=1)
test_evaluator = val_evaluator
del _split
