# WHU-CD version of siam-bestf1_r18w32-fpn_1xb8-20k_levir-cd-256x256.py: same models, losses and
# schedule; only the data (WHUCDDataset under data/whu_cd, same A/B/label layout)
# changes.
_base_ = ['./siam-bestf1_r18w32-fpn_1xb8-20k_levir-cd-256x256.py']

dataset_type = 'WHUCDDataset'
data_root = 'data/whu_cd'
whu_cd = dict(type=dataset_type, data_root=data_root)
train_dataloader = dict(dataset=whu_cd)
val_dataloader = dict(dataset=whu_cd)
test_dataloader = dict(dataset=whu_cd)
