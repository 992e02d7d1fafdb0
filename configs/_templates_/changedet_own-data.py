# Change detection on your own data: the siamese ResNet-18 student of
# configs/changedet/ on co-registered image pairs with any band count and
# dtype (docs/your_own_data.md walks through it). Example data, 4-band uint16
# GeoTIFF pairs with 0/1 change labels:
#   data/my_cd/{train,val,test}/A/<name>.tif       date 1, 4 bands
#   data/my_cd/{train,val,test}/B/<name>.tif       date 2, same names
#   data/my_cd/{train,val,test}/label/<name>.tif   change mask 0/1 (or 0/255)
# Adapt the settings marked (1)-(5), check the data and get (4) with
#   python tools/misc/check_dataset.py configs/_templates_/changedet_own-data.py
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py']
data_root = 'data/my_cd'
img_suffix = '.tif'                      # (1) file suffixes of the images ...
seg_map_suffix = '.tif'                  # ... and of the labels
bands = 4                                # (2) bands per date (LoadBiTemporalImages)
label_format = 'auto'                    # (3) 0/1 or 0/255 labels, told per file
# (4) per-band statistics of the training images, date A then date B, in
# image units (uint16 here): paste what check_dataset.py prints
mean = [[350.0, 480.0, 420.0, 2100.0], [360.0, 490.0, 430.0, 2050.0]]
std = [[150.0, 170.0, 200.0, 700.0], [155.0, 175.0, 205.0, 690.0]]
crop_size = (256, 256)

train_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(bands, bands)),
    dict(type='LoadBiTemporalAnnotations', label_format=label_format),
    dict(type='BiTemporalRandomCrop', crop_size=crop_size),
    dict(type='BiTemporalRandomFlip', prob=0.5, direction=['horizontal', 'vertical']),
    dict(type='BiTemporalRandomRot90', prob=0.5),
    dict(type='BiTemporalSwap', prob=0.5),
    # no BiTemporalPhotoMetricDistortion: it works on 8-bit RGB only
    dict(type='PackBiTemporalInputs'),
]
test_pipeline = [
    dict(type='LoadBiTemporalImages', channels_per_date=(bands, bands)),
    dict(type='LoadBiTemporalAnnotations', label_format=label_format),
    dict(type='PackBiTemporalInputs'),
]


def _split(split, pipeline):
    return dict(type='BiTemporalDataset', data_root=data_root, img_suffix=img_suffix,
                seg_map_suffix=seg_map_suffix, pipeline=pipeline,
                data_prefix=dict(img_path=f'{split}/A', img_path2=f'{split}/B',
                                 seg_map_path=f'{split}/label'))


train_dataloader = dict(dataset=_split('train', train_pipeline))
val_dataloader = dict(dataset=_split('val', test_pipeline))
test_dataloader = dict(dataset=_split('test', test_pipeline))
# (5) the network takes `bands` channels per date
model = dict(
    data_preprocessor=dict(mean=mean, std=std),
    in_channels_per_date=(bands, bands),
    backbone=dict(in_channels=bands))
del _split
