# Runtime of the change-detection configs: default_runtime.py with the change
# visualizer (tools/test.py --show-dir draws date A | date B | truth | prediction).
_base_ = ['./default_runtime.py']
visualizer = dict(
    type='ChangeDetectionVisualizer', vis_backends=[dict(type='LocalVisBackend')],
    name='visualizer')
