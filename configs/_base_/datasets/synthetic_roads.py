# Synthetic roads (perturbed grid, curves, dead ends, junctions, trees, shadows) in the
# converted layout, for quick CPU runs: 64 x 64 training crops, whole-scene validation
# on the val split and testing on a separate test split. Generate with
#   python tools/dataset_converters/generate_synthetic_roads.py data/synthetic_roads \
#       --format mmseg --num 64 --num-val 16 --num-test 32 --size 256
_base_ = ['./deepglobe_roads.py']
dataset_type = 'RoadSegDataset'
data_root = 'data/synthetic_roads'
crop_size = (64, 64)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=[0.25, 0.25], direction=['horizontal', 'vertical']),
    dict(type='PackRoadInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRoadAnnotations', with_graph=True),
    dict(type='PackRoadInputs'),
]
_prefix = dict(img_path='img_dir/{}', seg_map_path='ann_dir/{}', conn_path='conn_dir/{}',
               graph_path='graph_dir/{}')
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=train_pipeline,
                 data_prefix={k: v.format('train') for k, v in _prefix.items()}))
val_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=test_pipeline,
                 data_prefix={k: v.format('val') for k, v in _prefix.items()}))
test_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=test_pipeline,
                 data_prefix={k: v.format('test') for k, v in _prefix.items()}))
# scenes read as 1 m/px (roads 3-9 m wide, 256 m scenes) so APLS control points fit
val_evaluator = dict(type='RoadMetric', gsd=1.0, rho=3, graph_interval=1)
test_evaluator = val_evaluator
del _prefix
