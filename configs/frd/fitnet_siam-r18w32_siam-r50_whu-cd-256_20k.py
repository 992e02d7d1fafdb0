# WHU-CD version of fitnet_siam-r18w32_siam-r50_levir-cd-256_20k.py: same models, losses and
# schedule; only the data (WHUCDDataset under data/whu_cd, same A/B/label layout)
# and the teacher (trained on WHU-CD with teacher_siam-r50_whu-cd-256_20k.py) change.
_base_ = ['./fitnet_siam-r18w32_siam-r50_levir-cd-256_20k.py']

dataset_type = 'WHUCDDataset'
data_root = 'data/whu_cd'
whu_cd = dict(type=dataset_type, data_root=data_root)
train_dataloader = dict(dataset=whu_cd)
val_dataloader = dict(dataset=whu_cd)
test_dataloader = dict(dataset=whu_cd)

# override with --cfg-options model.teacher_ckpt=PATH
model = dict(
    teacher='configs/frd/teacher_siam-r50_whu-cd-256_20k.py',
    teacher_ckpt='work_dirs/teacher_siam-r50_whu-cd-256_20k/iter_20000.pth')
