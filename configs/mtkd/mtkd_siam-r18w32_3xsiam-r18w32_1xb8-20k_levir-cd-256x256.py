# MTKD step 3 (Liu et al., JL1-CD, arXiv:2502.13407): the siamese ResNet-18 (half
# width) student, initialised from its step-1 run, is distilled per sample from the
# teacher of the sample's change-area-ratio partition (three teachers of the same
# network, trained by the siam_r18w32-fpn_1xb8-20k_levir-cd-car-{small,medium,large}-
# 256x256 configs). Distill loss: MSE between the student's change logits and the routed
# teacher's, weight 1e-3 (Open-CD's MTKD configs). LEVIR-CD 256 crops, 20k iterations; everything
# except `model` comes from the student config (data, schedule, evaluation).
_base_ = [
    '../changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py', '../_base_/distillers/mtkd.py'
]

# The teachers' thresholds: CAR < 0.05 -> small, < 0.2 -> medium, the rest -> large.
car_thresholds = (0.05, 0.2)
# Step 1: python tools/train.py configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py
# (--cfg-options model.student.init_cfg=None starts from scratch instead).
student_ckpt = 'work_dirs/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256/iter_20000.pth'
# Step 2; override with --cfg-options model.teachers.small.ckpt=PATH (and medium, large).
teacher_config = 'configs/mtkd/siam_r18w32-fpn_1xb8-20k_levir-cd-car-{}-256x256.py'
teacher_ckpt = 'work_dirs/siam_r18w32-fpn_1xb8-20k_levir-cd-car-{}-256x256/iter_20000.pth'

model = dict(
    _delete_=True,
    type='TeacherStudentDistill',
    student=dict(_base_.model, init_cfg=dict(type='Pretrained', checkpoint=student_ckpt)),
    teachers={p: dict(cfg=teacher_config.format(p), ckpt=teacher_ckpt.format(p))
              for p in _base_.partitions},
    distiller=dict(_base_.pop('mtkd_distiller'), routing=dict(
        teachers=list(_base_.partitions), thresholds=car_thresholds)))
