# FRD student trained alone (the lower bound of the ablation): siamese
# ResNet-18-V1c at half width + FPN(64) on LEVIR-CD, 256 crops, batch 8, 20k
# iterations. Every distillation config of this folder inherits data, schedule
# and evaluation protocol from here.
_base_ = ['../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py']

# Keep the best checkpoint by change-class F1 (save_best='auto' cannot infer
# the rule of the key 'F1').
default_hooks = dict(checkpoint=dict(save_best='F1', rule='greater'))
