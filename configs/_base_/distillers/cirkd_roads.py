# CIRKD for roads: cirkd.py on the decoder's full-resolution feature map, the
# input of the classifier `decode_head.conv_seg` (the road heads have no dropout;
# LinkNet-18 w32 16 channels, D-LinkNet-34 32).
_base_ = ['./cirkd.py']
embedding = dict(type='ModuleInputs', source='decode_head.conv_seg')
cirkd_distiller = dict(
    student_recorders=dict(embedding=embedding), teacher_recorders=dict(embedding=embedding),
    distill_losses=dict(loss_cirkd=dict(student_channels=16, teacher_channels=32)))
