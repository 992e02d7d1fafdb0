# Massachusetts Roads (1 m, 1500 x 1500), converted with
#   python tools/dataset_converters/massachusetts.py data/massachusetts -o data/massachusetts_roads
# (official training / validation / test splits -> train / val / test).
# Pipelines and loaders as DeepGlobe Roads; testing is on the test split, at 1 m/px.
_base_ = ['./deepglobe_roads.py']
dataset_type = 'MassachusettsRoadsDataset'
data_root = 'data/massachusetts_roads'
data = dict(type=dataset_type, data_root=data_root)
train_dataloader = dict(dataset=data)
val_dataloader = dict(dataset=data)
test_dataloader = dict(dataset=dict(data, data_prefix=dict(
    img_path='img_dir/test', seg_map_path='ann_dir/test', conn_path='conn_dir/test')))
del data
val_evaluator = dict(gsd=1.0)
test_evaluator = val_evaluator
