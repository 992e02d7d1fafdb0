# Attention transfer (Zagoruyko & Komodakis 2017) on encoder stages 2-4:
# channel-agnostic attention maps (mean |F|^2 over channels, L2-normalised),
# so no connector. Recorded: `backbone.layer2`-`layer4` (the shared siamese
# encoder, both dates stacked on the batch axis); the road configs record
# `backbone.encoder.layer*` instead (their `recorders`).
# A method config takes the distiller with `distiller=_base_.pop('at_distiller')`.
stages = ('layer2', 'layer3', 'layer4')
recorders = {s: dict(type='ModuleOutputs', source=f'backbone.{s}') for s in stages}
at_distiller = dict(
    type='ConfigurableDistiller',
    student_recorders=recorders,
    teacher_recorders=recorders,
    distill_losses={f'loss_at_{s}': dict(type='ATLoss', p=2.0, loss_weight=1.0)
                    for s in stages},
    loss_forward_mappings={f'loss_at_{s}': dict(
        preds_S=dict(from_student=True, recorder=s),
        preds_T=dict(from_student=False, recorder=s)) for s in stages})
