# EO -> SAR building segmentation on your own SAR + EO pairs: the SAR student
# of configs/hfd/ (ResNet-50 + HFAM + FCN) trained on SAR alone, as it is
# deployed; the EO teacher and the HFD distillation configs derive from this
# file (docs/your_own_data.md shows both). Example data, SpaceNet 6 layout:
#   data/my_sar/SAR/<area>_SAR_<x>_<y>_tile_<n>.tif              2 x float32, linear
#   data/my_sar/EO/<area>_EO_<x>_<y>_tile_<n>.tif                4 x uint16
#   data/my_sar/buildings/<area>_buildings_<x>_<y>_tile_<n>.geojson  footprints
#   data/my_sar/splits/{train,val,test}.txt        one tile id <x>_<y>_tile_<n> a line
# The three files of a tile share the ending _<x>_<y>_tile_<n> (any tokens
# without '_'); SAR and EO share one pixel grid (same CRS, transform, size).
# Adapt the settings marked (1)-(5); check the data and get (4) with
#   python tools/misc/check_dataset.py configs/_templates_/sar-eo_own-data.py
# The encoder starts from ImageNet (model.backbone.init_cfg: open-mmlab://resnet50_v1c; the
# stem conv of the SAR bands random): offline, point it at a local copy or set it to None.
_base_ = ['../hfd/fcn_r50-hfam_1xb8-20k_spacenet6-sar-512x512.py']
data_root = 'data/my_sar'
sar_dir, eo_dir, label_dir = 'SAR', 'EO', 'buildings'   # (1) folders of data_root
sar_bands, eo_bands = 2, 4                             # (2) band counts
sar_unit = 'linear'                    # (3) SAR values: 'linear' intensity or 'db'
sar_clip = (-30.0, 10.0)               # dB range kept
sar_nodata_value = 0.0                 # all bands equal to it = no measurement
# (4) per-band statistics of the training tiles: SAR in dB (after the
# conversion and clip above) and EO in image units; check_dataset.py prints both
sar_mean = [-11.0, -18.0]
sar_std = [4.0, 4.5]
eo_mean = [420.0, 520.0, 480.0, 2200.0]
eo_std = [180.0, 190.0, 220.0, 750.0]
crop_size = (512, 512)

sar_load_pipeline = [
    dict(type='LoadPairedModalities', student='sar', teacher=None, sar_bands=sar_bands,
         eo_bands=eo_bands, sar_nodata_value=sar_nodata_value),
    dict(type='LoadBuildingFootprints', min_area_m2=20.0),
    dict(type='SARToDecibel', input_unit=sar_unit, clip_range=sar_clip),
    dict(type='MaskSARNoData', fill_value=sar_mean),
]
# the EO teacher's input (labels ignored outside the SAR swath) and the SAR +
# EO pairs of distillation (SAR `inputs`, EO `teacher_inputs`)
eo_load_pipeline = [
    dict(type='LoadPairedModalities', student='eo', teacher=None, sar_bands=sar_bands,
         eo_bands=eo_bands, sar_nodata_value=sar_nodata_value),
    dict(type='LoadBuildingFootprints', min_area_m2=20.0),
    dict(type='MaskSARNoData'),
]
paired_load_pipeline = [
    dict(type='LoadPairedModalities', student='sar', teacher='eo', sar_bands=sar_bands,
         eo_bands=eo_bands, sar_nodata_value=sar_nodata_value),
    dict(type='LoadBuildingFootprints', min_area_m2=20.0),
    dict(type='SARToDecibel', input_unit=sar_unit, clip_range=sar_clip),
    dict(type='MaskSARNoData', fill_value=sar_mean),
]
augment = [
    dict(type='PairedRandomCrop', crop_size=crop_size),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackPairedSegInputs'),
]
train_pipeline = sar_load_pipeline + augment
test_pipeline = sar_load_pipeline + [dict(type='PackPairedSegInputs')]


def _split(split, pipeline):
    return dict(type='SpaceNet6Dataset', data_root=data_root, ann_file=f'splits/{split}.txt',
                sar_dir=sar_dir, eo_dir=eo_dir, label_dir=label_dir,
                orientation_file=None, pipeline=pipeline)


train_dataloader = dict(dataset=_split('train', train_pipeline))
val_dataloader = dict(dataset=_split('val', test_pipeline))
test_dataloader = dict(dataset=_split('test', test_pipeline))
# (5) the network takes `sar_bands` channels
model = dict(
    data_preprocessor=dict(mean=sar_mean, std=sar_std),
    backbone=dict(in_channels=sar_bands))
del _split
