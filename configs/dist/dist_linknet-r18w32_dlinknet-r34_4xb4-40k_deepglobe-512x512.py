# DIST for roads: inter- and intra-class Pearson correlation of the per-pixel
# road/background probabilities.
# Student: half-width LinkNet-18; teacher: D-LinkNet-34.
# Data and schedule: DeepGlobe Roads, 512x512 crops, batch 4, 40k SGD iterations.
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    '../tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py',
    '../_base_/teachers/dlinknet34_deepglobe.py', '../_base_/distillers/dist.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=_base_.pop('dist_distiller'))
