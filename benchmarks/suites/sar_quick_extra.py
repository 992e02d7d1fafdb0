# More EO -> SAR baselines on the sar-quick data and schedule (not part of the
# 20-minute quick collection; about 7 minutes on 2 CPU cores):
#   python tools/run_benchmark.py benchmarks/suites/sar_quick_extra.py
# HFD-Net family: EO pre-training -> SAR fine-tuning and FitNet against the
# same EO teacher and SAR student as sar_quick.py (re-trained here: records
# are kept per suite). DisOptNet family: its SAR-only DeepLabV3+ baseline and
# stage 2's two-branch network trained without teacher (no-distill), to set
# against the disoptnet row of sar-quick.
_base_ = ['./sar_quick.py']
suite = 'sar-quick-extra'
leaderboards = [
    dict(name='sar-quick-extra', title='EO -> SAR: more baselines and the DisOptNet ablation, '
         'synthetic SpaceNet 6 pairs (quick CPU suite)', main_metric='building_F1',
         metrics=['building_F1', 'mIoU', 'OA', 'Kappa'], higher_is_better=True),
]
_teacher = 'eo-teacher'
_tail = '_r18-hfam-fcn_1xb8-quick_synthetic-sn6-sar-64.py'
_dis = 'configs/disoptnet/disoptnet{}_r18-deeplabv3plus_1xb8-quick_synthetic-sn6-{}-64.py'
entries = [
    dict(name=_teacher, role='teacher', method='teacher', budget_s=65,
         config='configs/hfd/hfd-teacher-eo_r18-hfam-fcn_1xb8-quick_synthetic-sn6-eo-64.py'),
    dict(name='student', role='student', method='student', budget_s=65,
         config='configs/hfd/hfd-student-sar' + _tail),
    # EO pre-training then SAR fine-tuning: starts from the teacher's weights
    dict(name='eo-pretrain', role='baseline', method='eo-pretrain', teacher=_teacher,
         teacher_ckpt_option='load_from', budget_s=65,
         config='configs/hfd/eo-pretrain-sar-finetune' + _tail),
    dict(name='fitnet', role='distill', method='fitnet', teacher=_teacher, budget_s=80,
         config='configs/hfd/fitnet' + _tail),
    dict(name='disoptnet-sar-only', role='baseline', method='sar-only', budget_s=60,
         config=_dis.format('-sar-only', 'sar')),
    dict(name='disoptnet-no-distill', role='baseline', method='no-distill', budget_s=100,
         config=_dis.format('-no-distill', 'sar')),
]
