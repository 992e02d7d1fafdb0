# Runtime of the road configs: default_runtime.py with the road visualizer;
# tools/test.py --show-dir then writes image | ground truth | prediction with its
# road graph.
_base_ = ['./default_runtime.py']
visualizer = dict(type='RoadVisualizer', vis_backends=[dict(type='LocalVisBackend')],
                  name='visualizer')
