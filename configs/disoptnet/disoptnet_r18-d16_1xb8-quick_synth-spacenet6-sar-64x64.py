# Ablation of DisOptNet stage 2 (quick CPU variant): the same two-branch SAR
# network as
# disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4_1xb8-quick_synth-spacenet6-sar-64x64.py
# (shared stem + stages 1-2, SAR branch, second branch, fusion head, same
# losses on the SAR and fused outputs, same data and schedule as the SAR-only
# baseline) trained on the labels alone: no teacher, no distillation losses;
# the second branch learns only through the fused output. Against stage 2 it
# separates what the teacher adds from what the larger network adds.
_base_ = [
    '../_base_/models/disoptnet_r18-d16.py',
    '../_base_/datasets/spacenet6_sar_synthetic.py',
    '../_base_/default_runtime_sar_eo.py', '../_base_/schedules/schedule_quick.py'
]
data_preprocessor = dict(mean={{_base_.sar_mean}}, std={{_base_.sar_std}})
model = dict(data_preprocessor=data_preprocessor)
optim_wrapper = dict(optimizer=dict(lr=5e-3))

default_hooks = dict(visualization=dict(type='SAREOVisualizationHook'))
