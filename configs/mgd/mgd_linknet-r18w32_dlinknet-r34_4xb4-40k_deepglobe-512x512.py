# MGD for roads: masked generative distillation on the stride-4 decoder output
# (student 32 -> teacher 64 channels through the generation block).
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: DeepGlobe Roads, 512x512 crops, batch 4, 40k SGD iterations.
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py',
    '../_base_/teachers/dlinknet34_deepglobe.py', '../_base_/distillers/mgd_roads.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('mgd_distiller'))
# the half-width student's decoder output is 32 channels wide
model['distiller']['distill_losses']['loss_mgd'].update(student_channels=32)
