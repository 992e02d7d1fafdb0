# IFVD for roads: ifvd.py on the decoder's full-resolution feature map, the input
# of the classifier `decode_head.conv_seg` (the road heads have no dropout).
_base_ = ['./ifvd.py']
embedding = dict(type='ModuleInputs', source='decode_head.conv_seg')
ifvd_distiller = dict(student_recorders=dict(embedding=embedding),
                      teacher_recorders=dict(embedding=embedding))
