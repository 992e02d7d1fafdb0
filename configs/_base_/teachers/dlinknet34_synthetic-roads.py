# Quick road teacher: D-LinkNet-34 on synthetic roads, 64x64 crops, 300 iterations.
# Train it first with its own config; a distillation config that inherits this file
# loads it frozen (override with --cfg-options model.teacher_ckpt=PATH), writes its
# sha256 into every checkpoint's meta (DistillCheckpointHook) and logs its
# validation metrics (teacher/*) once before training (TeacherEvalHook).
teacher_config = 'configs/tskd/dlinknet_r34_1xb4-quick_synth-roads-64x64.py'
teacher_ckpt = 'work_dirs/dlinknet_r34_1xb4-quick_synth-roads-64x64/iter_300.pth'
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
# Every quick road distillation switches its distill losses off for the first 100
# iterations, then ramps them in linearly over 50 (without it the distilled
# students kept predicting all background until about iteration 250 of 300;
# configs/tskd/README.md): loss_weight_schedules=dict(<loss>=_base_.distill_warmup).
distill_warmup = dict(begin=100, warmup_iters=50)
