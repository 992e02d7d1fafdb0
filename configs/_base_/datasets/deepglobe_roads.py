# DeepGlobe Road Extraction (0.5 m, 1024 x 1024), converted with
#   python tools/dataset_converters/deepglobe.py data/deepglobe/train -o data/deepglobe_roads
# (only the challenge train set has masks; the converter holds out --val-ratio of it).
dataset_type = 'DeepGlobeRoadsDataset'
data_root = 'data/deepglobe_roads'
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
test_dataloader = val_dataloader
# road IoU/F1, relaxed F1 (rho px), clDice, connectivity mIoU, APLS and TOPO (gsd m/px)
val_evaluator = dict(type='RoadMetric', gsd=0.5, rho=3, graph_interval=1)
test_evaluator = val_evaluator
del _split
