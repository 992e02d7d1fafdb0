# Student: siamese ResNet-18-V1c at half width (base/stem channels 32) + slim
# FPN on LEVIR-CD, 256 crops, batch 8, 20k SGD iterations; same locked
# evaluation protocol as the teacher (whole 1024 tiles, slide 256, stride 256).
_base_ = [
    '../_base_/models/siam_r18w32-fpn.py', '../_base_/datasets/levir_cd.py',
    '../_base_/default_runtime_changedet.py', '../_base_/schedules/schedule_20k.py'
]
