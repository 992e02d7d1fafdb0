# S2Looking (Shen et al. 2021): side-looking satellite pairs, 1024 x 1024 px,
# 0.5-0.8 m/px, building change, 3500 train / 500 val / 1000 test.
# Layout data_root/{train,val,test}/{Image1,Image2,label}/ PNGs (labels 0/255).
# Pipelines, samplers and metric as LEVIR-CD; the date folders (Image1, Image2)
# and the number of training workers differ.
_base_ = ['./levir_cd.py']
dataset_type = 'S2LookingDataset'
data_root = 'data/s2looking'


def _split(split):
    return dict(type=dataset_type, data_root=data_root,
                data_prefix=dict(img_path=f'{split}/Image1', img_path2=f'{split}/Image2',
                                 seg_map_path=f'{split}/label'))


train_dataloader = dict(num_workers=4, dataset=_split('train'))
val_dataloader = dict(dataset=_split('val'))
test_dataloader = dict(dataset=_split('test'))
