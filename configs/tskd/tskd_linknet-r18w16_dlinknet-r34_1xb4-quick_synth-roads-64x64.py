# TSKD-Road (full): task loss (CE + Dice) + pixel KD on the logits + feature mimic
# (FitNet on the stride-4 decoder output, student 16 -> teacher 64 channels) +
# topological space loss, student vs ground truth and vs teacher, in the feature
# space of the frozen teacher's own encoder (ResNet-34 stages 0-2 = depths,
# input scales 1 and 1/2 = widths). See README.md and
# configs/_base_/distillers/tskd.py.
# Student: quarter-width LinkNet-18 (linknet_r18w16_*); teacher: D-LinkNet-34.
# Data and schedule: synthetic roads, 64x64 crops, batch 4, 300 AdamW iterations (CPU).
# Data, schedule and evaluation come from the student config, the teacher from
# configs/_base_/teachers/, the distiller from configs/_base_/distillers/.
_base_ = [
    './linknet_r18w16_1xb4-quick_synth-roads-64x64.py',
    '../_base_/teachers/dlinknet34_synthetic-roads.py', '../_base_/distillers/tskd.py'
]

model = dict(
    _delete_=True, type='TeacherStudentDistill', student=_base_.model,
    teacher=_base_.teacher_config, teacher_ckpt=_base_.teacher_ckpt,
    distiller=dict(
        _base_.pop('tskd_distiller'),
        connectors=dict(mimic=dict(_base_.connectors['mimic'], in_channels=16)),
        loss_weight_schedules={loss: _base_.distill_warmup
                               for loss in ('loss_kd', 'loss_mimic', 'loss_topo')}))
