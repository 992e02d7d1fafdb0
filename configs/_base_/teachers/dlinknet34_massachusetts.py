# Road teacher: D-LinkNet-34 on Massachusetts Roads, 512x512 crops, 40k iterations.
# Train it first with its own config; a distillation config that inherits this file
# loads it frozen (override with --cfg-options model.teacher_ckpt=PATH), writes its
# sha256 into every checkpoint's meta (DistillCheckpointHook) and logs its
# validation metrics (teacher/*) once before training (TeacherEvalHook).
teacher_config = 'configs/tskd/dlinknet_r34_4xb4-40k_massachusetts-512x512.py'
teacher_ckpt = 'work_dirs/dlinknet_r34_4xb4-40k_massachusetts-512x512/iter_40000.pth'
custom_hooks = [dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')]
