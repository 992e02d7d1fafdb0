# Synthetic SpaceNet 6 tiles (64 x 64 px at 2 m, SAR in dB with NaN outside
# the swath) for quick CPU runs, SAR-only. Generate them with
#   python tools/dataset_converters/generate_synthetic_spacenet6.py data/synthetic_spacenet6
_base_ = ['./spacenet6_sar.py']
data_root = 'data/synthetic_spacenet6'
crop_size = (64, 64)
train_pipeline = _base_.sar_load_pipeline + [
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
