# Synthetic SpaceNet 6 tiles, EO-only (teacher training); see
# spacenet6_sar_synthetic.py for how to generate them.
_base_ = ['./spacenet6_eo.py']
data_root = 'data/synthetic_spacenet6'
crop_size = (64, 64)
eo_mean = [84.6, 110.4, 64.9]
eo_std = [31.0, 15.2, 21.4]
train_pipeline = _base_.eo_load_pipeline + [
    dict(type='PairedRandomCrop', crop_size=crop_size),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPairedSegInputs'),
]
train_dataloader = dict(batch_size=8, num_workers=2, dataset=dict(
    data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=2, dataset=dict(
    data_root=data_root))
# a test split of its own (the easternmost tiles), never the val tiles
test_dataloader = dict(batch_size=4, num_workers=2, dataset=dict(
    data_root=data_root, ann_file='splits/test.txt'))
