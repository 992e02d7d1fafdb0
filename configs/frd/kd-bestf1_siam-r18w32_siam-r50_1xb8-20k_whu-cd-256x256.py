# WHU-CD version of kd-bestf1_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py: same
# models, losses and
# schedule; only the data (WHUCDDataset under data/whu_cd, same A/B/label layout)
# and the teacher (trained on WHU-CD with siam-bestf1_r50-fpn_1xb8-20k_whu-cd-256x256.py) change.
_base_ = ['./kd-bestf1_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py']

dataset_type = 'WHUCDDataset'
data_root = 'data/whu_cd'
whu_cd = dict(type=dataset_type, data_root=data_root)
train_dataloader = dict(dataset=whu_cd)
val_dataloader = dict(dataset=whu_cd)
test_dataloader = dict(dataset=whu_cd)

# override with --cfg-options model.teacher_ckpt=PATH
model = dict(
    teacher='configs/frd/siam-bestf1_r50-fpn_1xb8-20k_whu-cd-256x256.py',
    teacher_ckpt='work_dirs/siam-bestf1_r50-fpn_1xb8-20k_whu-cd-256x256/iter_20000.pth')
