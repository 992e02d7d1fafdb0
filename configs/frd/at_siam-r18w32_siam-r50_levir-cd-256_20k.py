# Baseline of the FRD ablation: attention transfer on encoder stages 2-4,
# from configs/at/ with this folder's teacher; same student, data and schedule as FRD.
_base_ = ['../at/at_siam-r18w32_siam-r50_levir-cd-256_20k.py']

# override with --cfg-options model.teacher_ckpt=PATH
model = dict(
    teacher='configs/frd/teacher_siam-r50_levir-cd-256_20k.py',
    teacher_ckpt='work_dirs/teacher_siam-r50_levir-cd-256_20k/iter_20000.pth')

# Keep the best checkpoint by change-class F1 (save_best='auto' cannot infer
# the rule of the key 'F1').
default_hooks = dict(checkpoint=dict(save_best='F1', rule='greater'))
