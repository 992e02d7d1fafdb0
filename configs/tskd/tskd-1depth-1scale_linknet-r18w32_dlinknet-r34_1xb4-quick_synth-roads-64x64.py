# TSKD-Road ablation: the topological space loss at ONE depth and ONE input scale
# (its width axis): encoder stage 1 only, scale 1 only, where the full config has
# stages 0-2 and scales 1 and 1/2; all other terms as in the full config.
_base_ = ['./tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py']

model = dict(distiller=dict(distill_losses=dict(loss_topo=dict(
    depths=(1, ), scales=(1.0, )))))
