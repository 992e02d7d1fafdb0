_base_ = [
    '../_base_/models/roadcon_hourglass.py', '../_base_/datasets/spacenet3_roads.py',
    '../_base_/default_runtime_roads.py', '../_base_/schedules/schedule_40k.py'
]
