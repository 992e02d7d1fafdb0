# CCRD as the FRD ablation configs of configs/frd/ run it: ccrd.py with the change
# mask brought to the feature map's size by nearest-neighbour sampling (the loss's
# default) stated explicitly.
# A method config takes the distiller with `distiller=_base_.pop('ccrd_distiller')`.
_base_ = ['./ccrd.py']
ccrd_distiller = dict(distill_losses=dict(loss_ccrd=dict(label_downsample='nearest')))
