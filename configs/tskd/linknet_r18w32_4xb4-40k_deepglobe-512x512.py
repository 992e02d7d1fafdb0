# TSKD-Road student alone (baseline): half-width LinkNet-18, same data and schedule as
# the distilled student.
_base_ = [
    '../_base_/models/linknet_r18.py', '../_base_/datasets/deepglobe_roads.py',
    '../_base_/default_runtime_roads.py', '../_base_/schedules/schedule_40k.py'
]
