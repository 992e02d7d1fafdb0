"""Cost of the road labels per 1024 x 1024 tile (prints a table; not a test).

Tiles: the two DeepGlobe road masks of the shared real samples (when
present), a synthetic scene of the road generator
(:func:`mmkd_rs.datasets.synthetic.roads.render_scene`) and the dense road
grid of ``road_metric_speed.py``, all 1024 x 1024.

Per tile, seconds (best of ``--repeat``):

* ``label graph``: the mask's label graph (what the DeepGlobe and
  Massachusetts converters build: ``mask_to_graph`` with the label settings
  since label version 2);
* ``raster labels``: all label rasters of the mask (``raster_tile_labels``:
  graph, connectivity label, centreline, junction disks);
* ``scene labels``: the synthetic scene's labels from its own road lines
  (``scene_labels``; synthetic tile only);
* ``metric graph``: :func:`mmkd_rs.evaluation.graph.mask_to_graph` with its
  defaults (the graph APLS and TOPO score), for reference.

``--compare-with DIR`` times a checkout of another revision too (its
``mmkd_rs`` on ``PYTHONPATH``; one from before the label graph moved to
``mmkd_rs.datasets.roads`` works as well), round after round, and the table
gives the ratios (other / this) and whether the labels and graph files of
both trees are identical (graph node ids aside; label version 2 differs from
version 1 on masks where the version 1 graph was wrong, see
configs/roadcon/README.md). Usage::

    python benchmarks/road_label_speed.py [--repeat 3] [--compare-with /path/to/old/checkout]
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SIZE = 1024
MARK = 'ROAD_LABEL_SPEED '
CASES = ('label graph', 'raster labels', 'scene labels', 'metric graph')


def tiles(data_root):
    """[(name, mask (H, W) uint8 0/1, scene or None)]."""
    import cv2
    from road_metric_speed import road_grid

    from mmkd_rs.datasets.synthetic.roads import render_scene
    out = []
    real = Path(data_root) / 'deepglobe_roads_dlinknet' / 'train'
    for path in sorted(real.glob('*_mask.png')):
        mask = (cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) >= 128).astype(np.uint8)
        out.append((f'DeepGlobe {path.name.split("_")[0]}', mask, None))
    scene = render_scene(np.random.default_rng(4), SIZE)
    out.append(('synthetic scene', scene['mask'], scene))
    out.append(('dense grid', road_grid(SIZE).astype(np.uint8), None))
    return out


def _digest(labels):
    """sha256 of the label rasters and of the graph file with node ids replaced by
    node positions (the ids of older graph files have gaps)."""
    try:
        from mmkd_rs.datasets.roads.connectivity_labels import graph_to_dict
    except ImportError:                                   # a checkout before the move
        from mmkd_rs.datasets.road_labels import graph_to_dict
    data = graph_to_dict(labels['graph'], *labels['mask'].shape)
    pos = {n['id']: i for i, n in enumerate(data['nodes'])}
    graph = [[(n['x'], n['y'], n['degree']) for n in data['nodes']],
             [(pos[e['u']], pos[e['v']], e['coords'], e['length_px']) for e in data['edges']]]
    parts = [np.ascontiguousarray(labels[k]).tobytes() for k in ('conn', 'centreline', 'junction')]
    return hashlib.sha256(b''.join(parts) + json.dumps(graph).encode()).hexdigest()[:16]


def _best(fn, repeat):
    best, value = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def worker(data_root, repeat):
    """Time every tile in this interpreter; print one JSON line (marked)."""
    from mmkd_rs.datasets.roads.layout import raster_tile_labels
    from mmkd_rs.datasets.synthetic.roads import scene_labels
    from mmkd_rs.evaluation.graph import mask_to_graph
    try:                                                  # label version 2
        from mmkd_rs.datasets.roads.layout import mask_label_graph
    except ImportError:                                   # version 1 checkouts
        try:
            from mmkd_rs.datasets.roads.mask_graph import mask_label_graph as _label_graph
        except ImportError:                               # before the move
            from mmkd_rs.datasets.road_labels import mask_to_graph as _label_graph

        def mask_label_graph(mask, min_spur_px):
            return _label_graph(mask, min_edge_px=min_spur_px)
    out = {}
    for name, mask, scene in tiles(data_root):
        row = {}
        row['label graph'], _ = _best(lambda: mask_label_graph(mask, 10), repeat)
        row['raster labels'], labels = _best(lambda: raster_tile_labels(mask), repeat)
        row['values'] = [_digest(labels)]
        if scene is not None:
            row['scene labels'], labels = _best(lambda: scene_labels(scene), repeat)
            row['values'].append(_digest(labels))
        row['metric graph'], _ = _best(lambda: mask_to_graph(mask), repeat)
        out[name] = row
    print(MARK + json.dumps(out))


def run_worker(tree, data_root, repeat):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tree), str(REPO / 'benchmarks')]),
               OMP_NUM_THREADS='1')
    cmd = [sys.executable, str(Path(__file__).resolve()), '--worker', '--data', str(data_root),
           '--repeat', str(repeat)]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode or not lines:
        raise RuntimeError(f'worker in {tree} failed:\n{proc.stderr[-3000:]}')
    return json.loads(lines[-1][len(MARK):])


def merge_best(runs):
    """Per tile and case, the best time over worker runs; values of the first run."""
    best = json.loads(json.dumps(runs[0]))
    for run in runs[1:]:
        for name, row in run.items():
            for case in CASES:
                if case in row:
                    best[name][case] = min(best[name][case], row[case])
    return best


def main():
    from tabulate import tabulate
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=os.environ.get(
        'MMKD_RS_REAL_DATA', str(REPO.parent / 'shared' / 'data' / 'real')))
    parser.add_argument('--repeat', type=int, default=3, help='runs per case and round')
    parser.add_argument('--rounds', type=int, default=2, help='worker runs per tree')
    parser.add_argument('--compare-with', help='checkout of another revision to time too')
    parser.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.data, args.repeat)
    trees = [REPO] + ([Path(args.compare_with).resolve()] if args.compare_with else [])
    runs = {tree: [] for tree in trees}
    for _ in range(args.rounds):
        for tree in trees:
            runs[tree].append(run_worker(tree, args.data, args.repeat))
    ours = merge_best(runs[REPO])
    other = merge_best(runs[trees[-1]]) if len(trees) > 1 else None
    headers = [f'tile ({SIZE} x {SIZE})'] + [f'{c} s' for c in CASES]
    if other:
        headers += [f'{c}: other / this' for c in CASES] + ['same labels, graphs']
    rows = []
    for name, row in ours.items():
        line = [name] + [f'{row[c]:.3f}' if c in row else '' for c in CASES]
        if other:
            line += [f'{other[name][c] / row[c]:.1f} x' if c in row else '' for c in CASES]
            line.append(other[name]['values'] == row['values'])
        rows.append(line)
    print(tabulate(rows, headers=headers, tablefmt='github'))
    if other:
        print(f'other = {trees[-1]}')


if __name__ == '__main__':
    main()
