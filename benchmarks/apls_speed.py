"""Speed of the road graph metrics (prints tables; not a test).

Whole process (first table): ``tools/analysis/apls.py`` on SpaceNet 3 img0
(1300 x 1300 tile; GT GeoJSON vs the sample submission CSV, georeferenced by
the tile's GeoTIFF, APLS and TOPO), started ``--repeat`` times as a fresh
process: wall and CPU (user + system) seconds, the median and the best run.
In the same run the same command is timed with torch, mmengine and mmseg
imported first (what ``import mmkd_rs`` did before the graph metrics became
torch-free), and both are compared with the reference's whole-process time
read from ``REFERENCE_APLS.md`` (its lower bound, so the ratio is the
smallest speed-up). Ratios from one run are what to compare across loaded
machines; the absolute times move with the load.

In-process rows (second table), imports excluded, best of ``--repeat`` after
one warm-up run; each timed call scores fresh copies of the graphs (what a
graph derives for the metrics is kept with it, see ``RoadGraph.memo``):

* SpaceNet 3 img0, GT GeoJSON vs the sample submission CSV: reading both
  files (GeoTIFF georeference, projection to UTM), APLS and TOPO;
* the four GT-vs-OSM graph pairs: APLS only;
* mask -> graph -> APLS (+ TOPO) for a 1300 x 1300 prediction: a real SN3
  road mask and a dense synthetic road grid, each against a noisy copy.

Usage::

    python benchmarks/apls_speed.py [--data /path/to/shared/data/real] [--repeat 3]
        [--process-only]
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage
from tabulate import tabulate

import mmkd_rs  # noqa: F401
from mmkd_rs.evaluation.graph import (APLSSettings, RoadGraph, apls_score, load_geojson_graph,
                                      load_wkt_csv_graph, mask_to_graph, topo_score)
from mmkd_rs.geo import Georef

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / 'tools' / 'analysis' / 'apls.py'
#: imported before the tool in the "torch stack preloaded" rows
HEAVY_IMPORTS = 'import torch, mmengine.runner, mmseg.registry, mmkd_rs.evaluation.metrics'


def best_of(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def fresh(graph):
    """The same graph without what earlier calls derived from it."""
    return RoadGraph(graph.nodes, graph.edges, graph.polylines, graph.lengths)


def noisy_copy(mask, seed=0):
    """A plausible prediction: blurred mask + noise, thresholded."""
    rng = np.random.default_rng(seed)
    prob = ndimage.gaussian_filter(mask.astype(np.float32) + rng.normal(0, 0.7, mask.shape), 2.5)
    return prob > 0.5


def road_grid(size=1300, step=110, width=11):
    m = np.zeros((size, size), bool)
    for k in range(step // 2, size, step):
        m[k - width // 2:k + width // 2 + 1, :] = True
        m[:, k - width // 2:k + width // 2 + 1] = True
    yy, xx = np.mgrid[:size, :size]
    m |= np.abs(yy - xx) <= width // 2            # a diagonal avenue
    return m


def img0_paths(root):
    apls_dir = root / 'spacenet3_roads_apls'
    return (apls_dir / 'gt_json_prop_wkt/ground_truth_randomized/AOI_2_Vegas_img0.geojson',
            apls_dir / 'gt_json_prop_wkt/proposal/sn3_sample_submission_albu.csv',
            apls_dir / 'images/RGB-PanSharpen_AOI_2_Vegas_img0.tif')


def reference_process_seconds(root):
    """(low, high) whole-process seconds of the reference for img0, from REFERENCE_APLS.md."""
    text = (root / 'spacenet3_roads_apls' / 'REFERENCE_APLS.md').read_text()
    found = re.search(r'img0, whole process: ([0-9.]+)-([0-9.]+) s', text)
    if not found:
        raise ValueError('REFERENCE_APLS.md: no "img0, whole process: A-B s" line')
    return float(found.group(1)), float(found.group(2))


def time_process(cmd):
    """(wall s, CPU s) of one child process; raises when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise RuntimeError(f'{" ".join(map(str, cmd))} failed:\n{proc.stderr}')
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def process_rows(root, repeat):
    """Whole-process rows of ``tools/analysis/apls.py`` on img0 (see the module docstring)."""
    gt, csv, tif = img0_paths(root)
    args = [str(gt), str(csv), '--image-id', 'AOI_2_Vegas_img0', '--raster-ref', str(tif)]
    heavy = (f'{HEAVY_IMPORTS}; import runpy, sys; sys.argv = {[str(TOOL)] + args!r}; '
             f'runpy.run_path({str(TOOL)!r}, run_name="__main__")')
    variants = [('apls.py, whole process', [sys.executable, str(TOOL)] + args),
                ('same, torch stack preloaded (before)', [sys.executable, '-c', heavy])]
    times = {name: [] for name, _ in variants}
    for _ in range(repeat):            # interleaved, so both see the same load
        for name, cmd in variants:
            times[name].append(time_process(cmd))
    low, high = reference_process_seconds(root)
    ours_cpu = float(np.median([c for _, c in times[variants[0][0]]]))
    rows = []
    for name, _ in variants:
        wall, cpu = np.array(times[name]).T
        rows.append([name, f'{np.median(wall):.2f} ({wall.min():.2f})',
                     f'{np.median(cpu):.2f} ({cpu.min():.2f})', f'{low / np.median(wall):.1f} x',
                     f'{np.median(cpu) / ours_cpu:.1f} x'])
    rows.append(['reference (REFERENCE_APLS.md), whole process', f'{low:.1f}-{high:.1f}', '-',
                 '1.0 x', '-'])
    return rows


def img0_rows(root, repeat):
    gt_path, csv_path, tif = img0_paths(root)

    def load():
        ref = Georef.from_file(tif)
        gt, frame = load_geojson_graph(gt_path, georef=ref)
        prop, _ = load_wkt_csv_graph(csv_path, 'AOI_2_Vegas_img0', georef=ref, frame=frame)
        return gt, prop

    t_load, (gt, prop) = best_of(load, repeat)
    rows = []
    for name, settings in (('default', APLSSettings()), ('old', APLSSettings.old())):
        t_apls, r = best_of(lambda: apls_score(fresh(gt), fresh(prop), settings), repeat)
        t_topo, topo = best_of(lambda: topo_score(fresh(gt), fresh(prop)), repeat)
        rows.append([f'img0 GeoJSON vs CSV ({name})', f'{t_load:.3f}', f'{t_apls:.3f}',
                     f'{t_topo:.3f}', f'{t_load + t_apls + t_topo:.3f}',
                     f'{r.apls:.4f} ({r.gt_to_prop:.4f} / {r.prop_to_gt:.4f})',
                     f'{topo.f1:.4f}'])
    return rows


def pair_rows(root, repeat):
    rows = []
    base = root / 'spacenet3_roads_apls/gt_json_prop_json/AOI_2_Vegas_Train'
    for image in ('img99', 'img990', 'img991', 'img995'):
        gt, frame = load_geojson_graph(base / f'spacenetroads/AOI_2_Vegas_{image}.geojson')
        prop, _ = load_geojson_graph(base / f'osm/AOI_2_Vegas_{image}.geojson', frame=frame)
        for name, settings in (('default', APLSSettings()), ('old', APLSSettings.old())):
            t, r = best_of(lambda: apls_score(fresh(gt), fresh(prop), settings), repeat)
            rows.append([f'{image} SN vs OSM ({name})', '-', f'{t:.3f}', '-', f'{t:.3f}',
                         f'{r.apls:.4f} ({r.gt_to_prop:.4f} / {r.prop_to_gt:.4f})', '-'])
    return rows


def mask_rows(gt_mask, name, repeat, gsd=0.3):
    pred_mask = noisy_copy(gt_mask)
    gt_graph = mask_to_graph(gt_mask).scaled(gsd)

    def pipeline():
        g = mask_to_graph(pred_mask).scaled(gsd)
        return g, apls_score(fresh(gt_graph), g)

    t_pipe, (pred_graph, r) = best_of(pipeline, repeat)
    t_graph, _ = best_of(lambda: mask_to_graph(pred_mask), repeat)
    t_apls, _ = best_of(lambda: apls_score(fresh(gt_graph), fresh(pred_graph)), repeat)
    t_topo, topo = best_of(lambda: topo_score(fresh(gt_graph), fresh(pred_graph)), repeat)
    return [[f'{name} 1300x1300 mask -> graph -> APLS', f'{t_graph:.3f} (graph)',
             f'{t_apls:.3f}', f'{t_topo:.3f}', f'{t_pipe:.3f} (+TOPO {t_topo:.3f})',
             f'{r.apls:.4f} ({pred_graph.num_edges} edges)', f'{topo.f1:.4f}']]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=os.environ.get(
        'MMKD_RS_REAL_DATA', str(REPO.parent / 'shared' / 'data' / 'real')))
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--process-only', action='store_true',
                        help='only the whole-process table')
    args = parser.parse_args()
    root = Path(args.data)
    rows = []
    if (root / 'spacenet3_roads_apls').is_dir():
        print(tabulate(process_rows(root, max(args.repeat, 3)),
                       headers=['img0 (1300 x 1300), GeoJSON vs CSV, APLS + TOPO',
                                'wall s median (best)', 'CPU s median (best)',
                                'faster than reference (wall)', 'CPU / ours'],
                       tablefmt='github'))
        print()
        if args.process_only:
            return
        rows += img0_rows(root, args.repeat)
        rows += pair_rows(root, args.repeat)
    else:
        print(f'real data not found under {root}: SpaceNet rows skipped')
    toy = root / 'spacenet3_roads_toy_roadextraction/masks/RGB-PanSharpen_AOI_2_Vegas_img1_mask.tif'
    if toy.is_file():
        import rasterio
        with rasterio.open(toy) as ds:
            rows += mask_rows(ds.read(1) > 0, 'SN3 img1 mask', args.repeat)
    rows += mask_rows(road_grid(), 'synthetic grid', args.repeat)
    print(tabulate(rows, headers=['case', 'load / graph s', 'APLS s', 'TOPO s', 'total s',
                                  'APLS (GT->prop / prop->GT)', 'TOPO F1'], tablefmt='github'))


if __name__ == '__main__':
    main()
