# The fused change features of student and teacher: the FPN outputs (`neck`, one
# map per level; `data_idx=1` is the level at stride 8), recorded as `fpn`.
# The recorders of the feature distillers of the change-detection family
# (affinity.py, ccrd.py, fitnet.py, mgd.py): each takes them with
# `<method>_distiller = dict(_base_.pop('fpn_distiller'), ...)` and adds its losses
# and their mappings.
fpn = dict(type='ModuleOutputs', source='neck')
fpn_distiller = dict(type='ConfigurableDistiller', student_recorders=dict(fpn=fpn),
                     teacher_recorders=dict(fpn=fpn))
