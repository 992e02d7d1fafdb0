# Attention transfer for roads: at.py on the LinkNet encoder's stages 2-4
# (strides 8, 16, 32), `backbone.encoder.layer2`-`layer4`.
_base_ = ['./at.py']
recorders = {s: dict(type='ModuleOutputs', source=f'backbone.encoder.{s}')
             for s in _base_.stages}
at_distiller = dict(student_recorders=recorders, teacher_recorders=recorders)
