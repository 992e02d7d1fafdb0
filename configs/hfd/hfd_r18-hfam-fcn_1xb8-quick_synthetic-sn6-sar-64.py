# HFD-Net quick CPU variant at full ResNet-18 width (HFAM 64 channels) on
# synthetic SpaceNet 6 pairs (64 px, 300 iterations): the same distillation
# as hfd_r18w16-...-64.py between the full-width quick EO teacher and SAR
# student (hfd-teacher-eo_r18-... / hfd-student-sar_r18-...-64.py).
_base_ = ['./hfd_r18w16-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py']
student_config = 'configs/hfd/hfd-student-sar_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py'
# override with --cfg-options model.teacher_ckpt=PATH
teacher_config = 'configs/hfd/hfd-teacher-eo_r18-hfam-fcn_1xb8-quick_synthetic-sn6-eo-64.py'
teacher_ckpt = 'work_dirs/hfd-teacher-eo_r18-hfam-fcn_1xb8-quick_synthetic-sn6-eo-64/iter_300.pth'
model = dict(student=student_config, teacher=teacher_config, teacher_ckpt=teacher_ckpt)
