# FRD ablation teacher on LEVIR-CD: siamese ResNet-50-V1c + FPN(256), 20k iterations,
# F1-best checkpoint kept (configs/frd/siam-bestf1_r50-fpn_1xb8-20k_levir-cd-256x256.py).
# Train it first with its own config; a distillation config that inherits this file
# loads it frozen (override with --cfg-options model.teacher_ckpt=PATH), writes its
# sha256 into every checkpoint's meta (DistillCheckpointHook) and logs its
# validation metrics (teacher/*) once before training (TeacherEvalHook).
teacher_config = 'configs/frd/siam-bestf1_r50-fpn_1xb8-20k_levir-cd-256x256.py'
teacher_ckpt = 'work_dirs/siam-bestf1_r50-fpn_1xb8-20k_levir-cd-256x256/iter_20000.pth'
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
