# CDD season-varying change detection (Lebedev et al. 2018): 256 x 256 crops,
# 10000 train / 3000 val / 3000 test. Layout data_root/{train,val,test}/{A,B,OUT}/
# with .jpg images AND .jpg labels, so labels are binarised at 128 ('0-255-lossy').
# Pipelines, samplers and metric as LEVIR-CD; the label format, the label folder
# (OUT) and the number of training workers differ.
_base_ = ['./levir_cd.py']
dataset_type = 'CDDDataset'
data_root = 'data/cdd'
labels = dict(type='LoadBiTemporalAnnotations', label_format='0-255-lossy')
train_pipeline = [
    _base_.train_pipeline[0], labels, *_base_.train_pipeline[2:]]
test_pipeline = [_base_.test_pipeline[0], labels, _base_.test_pipeline[2]]
del labels


def _split(split, pipeline):
    return dict(type=dataset_type, data_root=data_root, pipeline=pipeline,
                data_prefix=dict(img_path=f'{split}/A', img_path2=f'{split}/B',
                                 seg_map_path=f'{split}/OUT'))


train_dataloader = dict(num_workers=4, dataset=_split('train', train_pipeline))
val_dataloader = dict(dataset=_split('val', test_pipeline))
test_dataloader = dict(dataset=_split('test', test_pipeline))
