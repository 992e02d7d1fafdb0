# TSKD-Road ablation: the topological space loss with ONE depth and ONE width
# (encoder stage 1 only, 1 channel group, input scale 1); all other terms
# as in the full config.
_base_ = ['./tskd_linknet-r18-w32_dlinknet34_deepglobe-512x512_40k.py']

model = dict(distiller=dict(distill_losses=dict(loss_topo=dict(
    depths=(1, ), scales=(1.0, ), channel_groups=1))))
