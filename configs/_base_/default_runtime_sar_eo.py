# Runtime of the EO -> SAR configs (HFD-Net, DisOptNet): default_runtime.py with the
# visualizer that draws a SAR | EO pair; tools/test.py --show-dir then writes
# SAR (dB) | EO | ground truth | prediction (the config's default_hooks name the
# SAREOVisualizationHook).
_base_ = ['./default_runtime.py']
visualizer = dict(type='SAREOVisualizer', name='visualizer',
                  vis_backends=[dict(type='LocalVisBackend')])
