# Attention transfer for roads on encoder stages 2-4 (strides 8, 16, 32).
# Student: quarter-width LinkNet-18 (linknet_r18w16_*); teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    './linknet_r18w16_1xb4-quick_synth-roads-64x64.py',
    '../_base_/teachers/dlinknet34_synthetic-roads.py', '../_base_/distillers/at_roads.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(
        _base_.pop('at_distiller'),
        loss_weight_schedules={f'loss_at_{s}': _base_.distill_warmup for s in _base_.stages}))
