# The class logits of student and teacher: the classifier output
# `decode_head.conv_seg` (every family's segmentor has one), recorded as `logits`.
# The recorders of the logit distillers (kd.py, dkd.py, dist.py, cwd.py, mtkd.py):
# each takes them with `<method>_distiller = dict(_base_.pop('logits_distiller'), ...)`
# and adds its losses and their mappings.
logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
logits_distiller = dict(type='ConfigurableDistiller', student_recorders=dict(logits=logits),
                        teacher_recorders=dict(logits=logits))
