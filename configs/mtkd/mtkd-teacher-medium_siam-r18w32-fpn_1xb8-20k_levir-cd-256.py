# MTKD step 2, teacher of CAR partition 1, "medium" (0.05 <= CAR < 0.2); otherwise
# as mtkd-teacher-small_siam-r18w32-fpn_1xb8-20k_levir-cd-256.py.
_base_ = ['./mtkd-teacher-small_siam-r18w32-fpn_1xb8-20k_levir-cd-256.py']
train_dataloader = dict(sampler=dict(partition=1))
