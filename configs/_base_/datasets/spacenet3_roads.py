# SpaceNet 3 roads (0.3 m, 1300 x 1300 RGB-PanSharpen), converted with
#   python tools/dataset_converters/spacenet3.py --img-dir <AOI>/RGB-PanSharpen \
#       --geojson-dir <AOI>/geojson/spacenetroads -o data/spacenet3_roads
# (6 m road masks, 8-bit stretched images, connectivity labels and road graphs).
# Pipelines and loaders as DeepGlobe Roads; evaluation also reads the road graphs.
_base_ = ['./deepglobe_roads.py']
dataset_type = 'SpaceNet3RoadsDataset'
data_root = 'data/spacenet3_roads'
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRoadAnnotations', with_graph=True),  # APLS against the GeoJSON graph
    dict(type='PackRoadInputs'),
]
train_dataloader = dict(dataset=dict(
    type=dataset_type, data_root=data_root, data_prefix=dict(graph_path='graph_dir/train')))
val_dataloader = dict(dataset=dict(
    type=dataset_type, data_root=data_root, pipeline=test_pipeline,
    data_prefix=dict(graph_path='graph_dir/val')))
test_dataloader = val_dataloader
val_evaluator = dict(gsd=0.3)
test_evaluator = val_evaluator
