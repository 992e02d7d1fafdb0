# The fixed tuning grids of the generic distillers, one per method, shared by every
# family's tuning suite (changedet_tuning.py, roads_tuning.py, sar_tuning.py), so each
# distiller gets the same four points in every family. A tuning suite lists this file in
# its `_base_`, makes `grids = dict(_base_.grids, <its seed methods' grids>)` and trains
# one entry per point: `<method>@<label>` with the point's options as --cfg-options.
# Each grid covers the main loss weight (and the temperature where there is one):
# four points spanning x10-x30 around the paper's (or the engine's) default.
_key = 'model.distiller.distill_losses.'
grids = dict(
    kd={f'w{w}-T{t}': {_key + 'loss_kd.loss_weight': w, _key + 'loss_kd.temperature': t}
        for w, t in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0), (3.0, 4.0))},
    cwd={f'w{w}-T{t}': {_key + 'loss_cwd.loss_weight': w, _key + 'loss_cwd.tau': t}
         for w, t in ((1.0, 1.0), (3.0, 1.0), (10.0, 1.0), (3.0, 4.0))},
    fitnet={f'w{w}': {_key + 'loss_fitnet.loss_weight': w} for w in (0.1, 0.3, 1.0, 3.0)},
    at={f'w{w}': {_key + f'loss_at_{s}.loss_weight': w
                  for s in ('layer2', 'layer3', 'layer4')}
        for w in (10.0, 100.0, 1000.0, 10000.0)},
    affinity={f'w{w}': {_key + 'loss_pair.loss_weight': w} for w in (0.3, 1.0, 3.0, 10.0)},
    dist={f'w{w}-T{t}': {_key + 'loss_dist.loss_weight': w, _key + 'loss_dist.tau': t}
          for w, t in ((1.0, 1.0), (3.0, 1.0), (1.0, 4.0), (3.0, 4.0))},
    mgd={f'w{w}': {_key + 'loss_mgd.loss_weight': w} for w in (0.1, 1.0, 10.0, 100.0)},
    ifvd={f'w{w}': {_key + 'loss_ifvd.loss_weight': w} for w in (20.0, 60.0, 200.0, 600.0)},
    # CIRKD: its three relation terms scaled together (1, 0.1, 0.1 by default)
    cirkd={f'x{f}': {_key + 'loss_cirkd.batch_pixel_weight': f,
                     _key + 'loss_cirkd.memory_pixel_weight': 0.1 * f,
                     _key + 'loss_cirkd.memory_region_weight': 0.1 * f}
           for f in (0.1, 0.3, 1.0, 3.0)},
    dkd={f'a{a}-T{t}': {_key + 'loss_dkd.alpha': a, _key + 'loss_dkd.temperature': t}
         for a, t in ((1.0, 1.0), (1.0, 4.0), (3.0, 1.0), (3.0, 4.0))},
)
