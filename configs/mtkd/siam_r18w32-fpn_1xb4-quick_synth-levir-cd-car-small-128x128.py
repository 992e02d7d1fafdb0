# Quick CPU variant of the MTKD step-2 teacher of CAR partition 0 (the quick student
# network and schedule, configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py,
# on the synthetic LEVIR-CD training tiles of partition 0 only). The synthetic tiles'
# CAR lies between 0.017 and 0.072 (none reaches MTKD's 0.2), so the quick thresholds
# 0.035 / 0.05 split the 64 training tiles about evenly (20 / 21 / 23).
# The medium / large teachers inherit this config with partition 1 / 2.
_base_ = ['../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py']

# The quick MTKD student config routes with the same thresholds.
car_thresholds = (0.035, 0.05)
train_dataloader = dict(sampler=dict(
    type='ChangeRatioPartitionSampler', partition=0, thresholds=car_thresholds))
