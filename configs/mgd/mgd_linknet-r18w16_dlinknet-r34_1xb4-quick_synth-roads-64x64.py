# MGD for roads: masked generative distillation on the stride-4 decoder output
# (student 16 -> teacher 64 channels through the generation block).
# Student: quarter-width LinkNet-18 (linknet_r18w16_*); teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../tskd/linknet_r18w16_1xb4-quick_synth-roads-64x64.py',
    '../_base_/teachers/dlinknet34_synthetic-roads.py', '../_base_/distillers/mgd_roads.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(_base_.pop('mgd_distiller'),
                   loss_weight_schedules=dict(loss_mgd=_base_.distill_warmup)))
