# TSKD-Road student alone (baseline): half-width LinkNet-18, same data and schedule as
# the distilled student.
_base_ = [
    '../_base_/models/linknet_r18.py', '../_base_/datasets/massachusetts_roads.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_40k.py'
]
# tools/test.py --show-dir: image | ground truth | prediction with its road graph.
visualizer = dict(type='RoadVisualizer', vis_backends=[dict(type='LocalVisBackend')],
                  name='visualizer')
