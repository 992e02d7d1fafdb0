# HFD-Net's network trained alone, quick CPU variant: ResNet-18-V1c + HFAM + FCN of
# 64 channels (../models/resnet18_hfam_fcn.py, random initialisation), 300 AdamW
# iterations, the EO -> SAR runtime and its visualization hook. The quick configs of
# configs/hfd/ that train it add a dataset base, its statistics (data_preprocessor)
# and the band count (backbone.in_channels).
_base_ = [
    '../models/resnet18_hfam_fcn.py', '../default_runtime_sar_eo.py',
    '../schedules/schedule_quick.py'
]
default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
