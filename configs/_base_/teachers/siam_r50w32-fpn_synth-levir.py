# Quick change-detection teacher: siamese ResNet-50-V1c at half width + FPN(128) on
# synthetic LEVIR-CD, 300 iterations.
# Train it first with its own config; a distillation config that inherits this file
# loads it frozen (override with --cfg-options model.teacher_ckpt=PATH), writes its
# sha256 into every checkpoint's meta (DistillCheckpointHook) and logs its
# validation metrics (teacher/*) once before training (TeacherEvalHook).
teacher_config = 'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'
teacher_ckpt = 'work_dirs/siam_r50w32-fpn_1xb4-quick_synth-levir-cd-128x128/iter_300.pth'
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
