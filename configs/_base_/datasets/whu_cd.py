# WHU-CD building change (Christchurch aerial, 2012 vs 2016, 0.3 m/px), tiled
# into A/B/label PNGs (labels 0/255); common practice: 1024 tiles, no official
# split, so data_root/{train,val,test}/{A,B,label}/ is written by the user.
dataset_type = 'WHUCDDataset'
data_root = 'data/whu_cd'
# Same pipelines, splits and metric as LEVIR-CD; only the dataset type and root differ.
_base_ = ['./levir_cd.py']
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
