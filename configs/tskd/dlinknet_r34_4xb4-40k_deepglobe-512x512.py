# TSKD-Road teacher (upper bound): D-LinkNet-34 trained alone.
_base_ = [
    '../_base_/models/dlinknet34.py', '../_base_/datasets/deepglobe_roads.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_40k.py'
]
# tools/test.py --show-dir: image | ground truth | prediction with its road graph.
visualizer = dict(type='RoadVisualizer', vis_backends=[dict(type='LocalVisBackend')],
                  name='visualizer')
