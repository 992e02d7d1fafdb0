# TSKD-Road with Xu et al.'s connectivity network as its teacher, on the quick roads
# protocol (same data, schedule, seeds, threads, and TSKD's tuned weights as
# roads_quick.py). The teacher is the paper-width network of roads_quick's `roadcon`
# row (seed 0); the topological feature space stays the D-LinkNet-34 teacher's encoder,
# so the teacher is the only change against roads_quick's `tskd` row. The D-LinkNet-34
# teacher, the student alone, TSKD and roadcon are roads_quick's runs, shared, not
# trained again. Outside the quick collection (quick.py):
#   python tools/run_benchmark.py benchmarks/suites/roads_tskd_roadcon.py
_base_ = ['./roads_quick.py']
suite = 'roads-tskd-roadcon'
leaderboards = [
    dict(name='roads-quick-tskd-roadcon', title='Road extraction, synthetic scenes: TSKD '
         'with the D-LinkNet-34 or with Xu et al.\'s network as teacher (quick CPU '
         'protocol, 3 seeds)', main_metric='IoU',
         metrics=['IoU', 'F1', 'relaxed_F1', 'clDice', 'APLS', 'TOPO_F1'],
         higher_is_better=True),
]
_by_name = {e['name']: e for e in _base_.entries}
entries = [
    _by_name['dlinknet34'],
    _by_name['student'],
    _by_name['tskd'],
    # a teacher here: compared with the student alone unpaired, as every teacher row
    dict(_by_name['roadcon'], role='teacher'),
    dict(name='tskd-roadcon', role='distill', method='tskd', teacher='roadcon',
         budget_s=330, cfg_options=_base_.tuned['tskd'],
         checkpoints={'model.distiller.distill_losses.loss_topo.feature_net.ckpt':
                      'dlinknet34'},
         config='configs/tskd/tskd_linknet-r18w16_roadcon-hg2-ga_1xb4-quick_synth-roads-64x64.py'),
]
