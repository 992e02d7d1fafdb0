# Pairwise affinity distillation (affinity.py) for roads: the (HW)^2 similarity
# matrices of the stride-4 LinkNet decoder output `backbone.decoders.2` (the
# feature FitNet matches, fitnet_roads.py), average-pooled to 16 x 16.
# Channel-agnostic: quarter-width student 16 channels, D-LinkNet-34 teacher 64.
# A method config takes the distiller with `distiller=_base_.pop('affinity_distiller')`.
decoder = dict(type='ModuleOutputs', source='backbone.decoders.2')
affinity_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(decoder=decoder),
    teacher_recorders=dict(decoder=decoder),
    distill_losses=dict(loss_pair=dict(
        type='PairwiseAffinityLoss', pool_size=(16, 16), loss_weight=1.0)),
    loss_forward_mappings=dict(loss_pair=dict(
        preds_S=dict(from_student=True, recorder='decoder'),
        preds_T=dict(from_student=False, recorder='decoder'))))
