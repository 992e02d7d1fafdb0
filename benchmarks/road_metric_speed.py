"""Cost of RoadMetric per 1300 x 1300 tile in a validation loop (prints a table; not a test).

Tiles: the two SpaceNet 3 road masks of the shared real samples (when
present) and a dense synthetic road grid, each scored against two
predictions: ``blurred`` (the mask plus noise, smoothed and thresholded) and
``speckled`` (the same with 0.2 % of the pixels flipped, so cleaning drops
specks and fills holes).

Per tile, seconds of ``process()`` (best of ``--repeat`` validations):

* ``pixels``: ``graph_interval=0`` (IoU, relaxed F1, clDice);
* ``graphs, 1st``: the first validation of a fresh metric (graph metrics
  too; the ground truth is prepared here);
* ``graphs, later``: later validations (the ground truth comes from the
  metric's cache).

``--compare-with DIR`` times a checkout of another revision too (its
``mmkd_rs`` on ``PYTHONPATH``): both trees run as worker processes in turn,
round after round, so they share the machine's load, and the table gives the
ratios (other / this) and whether every reported value is equal. Usage::

    python benchmarks/road_metric_speed.py [--repeat 3] [--compare-with /path/to/old/checkout]
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SIZE = 1300
GSD = 0.3
MARK = 'ROAD_METRIC_SPEED '


def road_grid(size=SIZE, step=110, width=11):
    """A dense synthetic road network: a grid plus one diagonal avenue."""
    m = np.zeros((size, size), bool)
    for k in range(step // 2, size, step):
        m[k - width // 2:k + width // 2 + 1, :] = True
        m[:, k - width // 2:k + width // 2 + 1] = True
    yy, xx = np.mgrid[:size, :size]
    return m | (np.abs(yy - xx) <= width // 2)


def predictions(mask, seed=0):
    """(blurred, speckled) plausible predictions of a road mask."""
    from scipy import ndimage
    rng = np.random.default_rng(seed)
    noisy = mask.astype(np.float32) + rng.normal(0, 0.7, mask.shape)
    blurred = ndimage.gaussian_filter(noisy, 2.5) > 0.5
    return blurred, blurred ^ (rng.random(mask.shape) < 0.002)


def tiles(data_root):
    """[(name, gt (H, W) bool, pred (H, W) bool)]."""
    masks = []
    toy = Path(data_root) / 'spacenet3_roads_toy_roadextraction' / 'masks'
    if toy.is_dir():
        import rasterio
        for path in sorted(toy.glob('*_mask.tif')):
            with rasterio.open(path) as ds:
                masks.append((path.name.split('_')[-2], ds.read(1) > 0))
    masks.append(('synthetic grid', road_grid()))
    out = []
    for name, gt in masks:
        for kind, pred in zip(('blurred', 'speckled'), predictions(gt)):
            out.append((f'{name}, {kind}', gt, pred))
    return out


def worker(data_root, repeat):
    """Time every tile in this interpreter; print one JSON line (marked)."""
    from mmkd_rs.evaluation.metrics.road_metric import RoadMetric

    def validate(metric, sample):
        metric.process(None, [sample])
        values = metric.compute_metrics(metric.results)
        metric.results.clear()
        return values

    out = {}
    for name, gt, pred in tiles(data_root):
        sample = dict(pred_sem_seg=dict(data=pred[None].astype(np.int64)),
                      gt_sem_seg=dict(data=gt[None].astype(np.int64)), img_path=name)
        row = {}
        for case, interval, fresh in (('pixels', 0, False), ('graphs, 1st', 1, True),
                                      ('graphs, later', 1, False)):
            metric = RoadMetric(gsd=GSD, graph_interval=interval, prefix='road')
            if not fresh:
                validate(metric, sample)
            best = np.inf
            for _ in range(repeat):
                if fresh:
                    metric = RoadMetric(gsd=GSD, graph_interval=interval, prefix='road')
                t0 = time.perf_counter()
                values = validate(metric, sample)
                best = min(best, time.perf_counter() - t0)
            row[case] = best
            row[f'{case} values'] = values
        out[name] = row
    print(MARK + json.dumps(out))


def run_worker(tree, data_root, repeat):
    env = dict(os.environ, PYTHONPATH=str(tree), OMP_NUM_THREADS='1')
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
            for case, value in row.items():
                if not case.endswith('values'):
                    best[name][case] = min(best[name][case], value)
    return best


def main():
    from tabulate import tabulate
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=os.environ.get(
        'MMKD_RS_REAL_DATA', str(REPO.parent / 'shared' / 'data' / 'real')))
    parser.add_argument('--repeat', type=int, default=3, help='validations per case and round')
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
    cases = ('pixels', 'graphs, 1st', 'graphs, later')
    headers = ['tile (1300 x 1300)'] + [f'{c} s' for c in cases]
    if other:
        headers += [f'{c}: other / this' for c in cases] + ['same values']
    rows = []
    for name, row in ours.items():
        line = [name] + [f'{row[c]:.3f}' for c in cases]
        if other:
            line += [f'{other[name][c] / row[c]:.1f} x' for c in cases]
            line.append(all(json.dumps(other[name][f'{c} values']) == json.dumps(row[f'{c} values'])
                            for c in cases))
        rows.append(line)
    mean = [float(np.mean([row[c] for row in ours.values()])) for c in cases]
    line = ['mean'] + [f'{m:.3f}' for m in mean]
    if other:
        line += [f'{np.mean([other[n][c] for n in other]) / m:.1f} x'
                 for c, m in zip(cases, mean)] + ['']
    rows.append(line)
    print(tabulate(rows, headers=headers, tablefmt='github'))
    if other:
        print(f'other = {trees[-1]}')


if __name__ == '__main__':
    main()
