# Baseline of the FRD ablation: attention transfer on encoder stages 2-4,
# from configs/at/ with this folder's teacher; same student, data and schedule as FRD.
_base_ = ['../at/at_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py']

# override with --cfg-options model.teacher_ckpt=PATH
model = dict(
    teacher='configs/frd/siam-bestf1_r50-fpn_1xb8-20k_levir-cd-256x256.py',
    teacher_ckpt='work_dirs/siam-bestf1_r50-fpn_1xb8-20k_levir-cd-256x256/iter_20000.pth')

# Keep the best checkpoint by change-class F1 (save_best='auto' cannot infer
# the rule of the key 'F1').
default_hooks = dict(checkpoint=dict(save_best='F1', rule='greater'))
