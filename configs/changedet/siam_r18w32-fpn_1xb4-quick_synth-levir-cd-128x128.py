# Quick CPU variant of the student for the demo and the quick benchmark suite:
# synthetic LEVIR-CD tiles of 256 px (write them with
#   python tools/dataset_converters/generate_synthetic_levir.py data/synthetic_levir_cd
# ), 128 crops, batch 4, 300 AdamW iterations (schedule_quick). Validation on
# whole 256 tiles (one window: crop 256, stride 256).
_base_ = [
    '../_base_/models/siam_r18w32-fpn.py', '../_base_/datasets/levir_cd.py',
    '../_base_/default_runtime_changedet.py', '../_base_/schedules/schedule_quick.py'
]
data_root = 'data/synthetic_levir_cd'
crop_size = (128, 128)
# the generator writes 0/255 labels: stated ('0-255') rather than auto-detected, so
# that the quick suites' config hashes (and with them their records) stay valid
train_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
    dict(type='LoadBiTemporalAnnotations', label_format='0-255'),
    dict(type='BiTemporalRandomCrop', crop_size=crop_size),
    dict(type='BiTemporalRandomFlip', prob=0.5, direction=['horizontal', 'vertical']),
    dict(type='BiTemporalRandomRot90', prob=0.5),
    dict(type='BiTemporalSwap', prob=0.5),
    dict(type='PackBiTemporalInputs'),
]
test_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(3, 3)),
    dict(type='LoadBiTemporalAnnotations', label_format='0-255'),
    dict(type='PackBiTemporalInputs'),
]
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(num_workers=0, persistent_workers=False,
                       dataset=dict(data_root=data_root, pipeline=test_pipeline))
