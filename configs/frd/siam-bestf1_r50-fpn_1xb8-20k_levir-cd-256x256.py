# FRD teacher: siamese ResNet-50-V1c + |fA - fB| fusion + FPN on LEVIR-CD, 256
# crops, batch 8, 20k iterations (the change-detection family's teacher config;
# train it first, every distillation config of this folder loads
# work_dirs/siam-bestf1_r50-fpn_1xb8-20k_levir-cd-256x256/iter_20000.pth).
_base_ = ['../changedet/siam_r50-fpn_1xb8-20k_levir-cd-256x256.py']

# Keep the best checkpoint by change-class F1 (save_best='auto' cannot infer
# the rule of the key 'F1').
default_hooks = dict(checkpoint=dict(save_best='F1', rule='greater'))
