# The pixel embeddings of student and teacher: the head's feature map before dropout
# and classifier (the input of `decode_head.dropout`), recorded as `embedding`; the
# road heads have no dropout and record the input of `decode_head.conv_seg` instead
# (cirkd_roads.py, ifvd_roads.py). The recorders of cirkd.py and ifvd.py: each takes
# them with `<method>_distiller = dict(_base_.pop('embedding_distiller'), ...)` and
# adds its loss and its mapping.
embedding = dict(type='ModuleInputs', source='decode_head.dropout')
embedding_distiller = dict(type='ConfigurableDistiller',
                           student_recorders=dict(embedding=embedding),
                           teacher_recorders=dict(embedding=embedding))
