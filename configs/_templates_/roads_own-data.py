# Road extraction on your own data: the LinkNet-18 (half width) student of
# configs/tskd/ (docs/your_own_data.md walks through it). Example data,
# 8-bit RGB tiles (PNG or GeoTIFF) with road masks:
#   data/my_roads/img_dir/{train,val,test}/<name>.tif   8-bit, 3 bands (RGB)
#   data/my_roads/ann_dir/{train,val,test}/<name>.png   road mask 0/1 (or 0/255)
# Images are read by OpenCV (LoadImageFromFile): 8-bit, 1 or 3 bands; stretch
# other imagery to 8-bit RGB first (as tools/dataset_converters/spacenet3.py does).
# Adapt the settings marked (1)-(4); check the data and get (3) with
#   python tools/misc/check_dataset.py configs/_templates_/roads_own-data.py
_base_ = ['../tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py']
data_root = 'data/my_roads'
img_suffix = '.tif'                      # (1) file suffixes of the images ...
seg_map_suffix = '.png'                  # ... and of the masks
# (2) masks: any value >= 1 is road, so 0/1 and 0/255 masks both work
road_labels = dict(type='LoadRoadAnnotations', binarize_threshold=1)
# (3) per-band statistics of the training images in file band order (R, G, B);
# paste what check_dataset.py prints
mean = [110.0, 112.0, 105.0]
std = [50.0, 48.0, 47.0]
gsd = 0.5                                # (4) metres per pixel, for APLS / TOPO
crop_size = (512, 512)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    road_labels,
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=[0.25, 0.25], direction=['horizontal', 'vertical']),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackRoadInputs'),
]
test_pipeline = [dict(type='LoadImageFromFile'), road_labels, dict(type='PackRoadInputs')]


def _split(split, pipeline):
    return dict(type='RoadSegDataset', data_root=data_root, img_suffix=img_suffix,
                seg_map_suffix=seg_map_suffix, pipeline=pipeline,
                data_prefix=dict(_delete_=True, img_path=f'img_dir/{split}',
                                 seg_map_path=f'ann_dir/{split}'))


train_dataloader = dict(dataset=_split('train', train_pipeline))
val_dataloader = dict(dataset=_split('val', test_pipeline))
test_dataloader = dict(dataset=_split('test', test_pipeline))
# road graphs of the ground truth are traced from the masks (no graph_dir)
val_evaluator = dict(gsd=gsd)
test_evaluator = val_evaluator
model = dict(data_preprocessor=dict(mean=mean, std=std))
del _split
