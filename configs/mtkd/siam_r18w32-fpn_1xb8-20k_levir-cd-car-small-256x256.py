# MTKD step 2, teacher of change-area-ratio (CAR) partition 0, "small" (CAR < 0.05):
# the student's own network and schedule
# (configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py) trained only on the
# LEVIR-CD training tiles whose whole label has CAR < 0.05. Validation and test are
# unchanged. The medium / large teachers inherit this config with partition 1 / 2.
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py']

# CAR < 0.05 -> partition 0, < 0.2 -> 1, the rest -> 2 (MTKD's defaults). The MTKD
# student config routes with the same thresholds.
car_thresholds = (0.05, 0.2)
train_dataloader = dict(sampler=dict(
    type='ChangeRatioPartitionSampler', partition=0, thresholds=car_thresholds))
