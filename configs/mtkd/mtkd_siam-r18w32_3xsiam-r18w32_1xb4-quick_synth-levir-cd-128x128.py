# Quick CPU variant of MTKD step 3: synthetic LEVIR-CD, 128 crops, batch 4, 300 AdamW
# iterations; the siamese ResNet-18 (half width) student, initialised from its quick
# run, distilled per sample from the quick teacher of its CAR partition
# (siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-{small,medium,large}-128x128.py).
# Same distiller as mtkd_siam-r18w32_3xsiam-r18w32_1xb8-20k_levir-cd-256x256.py, with the
# quick thresholds 0.035 / 0.05.
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
    '../_base_/distillers/mtkd.py'
]

car_thresholds = (0.035, 0.05)
# (--cfg-options model.student.init_cfg=None starts from scratch instead)
student_ckpt = 'work_dirs/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128/iter_300.pth'
# override with --cfg-options model.teachers.small.ckpt=PATH (and medium, large)
teacher_config = 'configs/mtkd/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-{}-128x128.py'
teacher_ckpt = 'work_dirs/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-car-{}-128x128/iter_300.pth'

model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=dict(_base_.model, init_cfg=dict(type='Pretrained', checkpoint=student_ckpt)),
    teachers={p: dict(cfg=teacher_config.format(p), ckpt=teacher_ckpt.format(p))
              for p in _base_.partitions},
    distiller=dict(_base_.pop('mtkd_distiller'), routing=dict(
        teachers=list(_base_.partitions), thresholds=car_thresholds)))
