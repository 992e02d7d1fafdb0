"""Speed of the road graph metrics (prints a table; not a test).

Rows:

* SpaceNet 3 img0, GT GeoJSON vs the sample submission CSV: reading both
  files (GeoTIFF georeference, projection to UTM), APLS and TOPO;
* the four GT-vs-OSM graph pairs: APLS only;
* mask -> graph -> APLS (+ TOPO) for a 1300 x 1300 prediction: a real SN3
  road mask and a dense synthetic road grid, each against a noisy copy.

Times are the best of ``--repeat`` runs after one warm-up run, imports
excluded. Usage::

    python benchmarks/apls_speed.py [--data /path/to/shared/data/real] [--repeat 3]
"""
import argparse
import os
import time
from pathlib import Path

import numpy as np
from scipy import ndimage
from tabulate import tabulate

import mmkd_rs  # noqa: F401
from mmkd_rs.evaluation.graph import (APLSSettings, RasterGeoref, apls_score, load_geojson_graph,
                                      load_wkt_csv_graph, mask_to_graph, topo_score)

REPO = Path(__file__).resolve().parents[1]


def best_of(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


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


def img0_rows(root, repeat):
    apls_dir = root / 'spacenet3_roads_apls'
    gt_path = apls_dir / 'gt_json_prop_wkt/ground_truth_randomized/AOI_2_Vegas_img0.geojson'
    csv_path = apls_dir / 'gt_json_prop_wkt/proposal/sn3_sample_submission_albu.csv'
    tif = apls_dir / 'images/RGB-PanSharpen_AOI_2_Vegas_img0.tif'

    def load():
        ref = RasterGeoref.from_file(tif)
        gt, frame = load_geojson_graph(gt_path, georef=ref)
        prop, _ = load_wkt_csv_graph(csv_path, 'AOI_2_Vegas_img0', georef=ref, frame=frame)
        return gt, prop

    t_load, (gt, prop) = best_of(load, repeat)
    rows = []
    for name, settings in (('default', APLSSettings()), ('old', APLSSettings.old())):
        t_apls, r = best_of(lambda: apls_score(gt, prop, settings), repeat)
        t_topo, topo = best_of(lambda: topo_score(gt, prop), repeat)
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
            t, r = best_of(lambda: apls_score(gt, prop, settings), repeat)
            rows.append([f'{image} SN vs OSM ({name})', '-', f'{t:.3f}', '-', f'{t:.3f}',
                         f'{r.apls:.4f} ({r.gt_to_prop:.4f} / {r.prop_to_gt:.4f})', '-'])
    return rows


def mask_rows(gt_mask, name, repeat, gsd=0.3):
    pred_mask = noisy_copy(gt_mask)
    gt_graph = mask_to_graph(gt_mask).scaled(gsd)

    def pipeline():
        g = mask_to_graph(pred_mask).scaled(gsd)
        return g, apls_score(gt_graph, g)

    t_pipe, (pred_graph, r) = best_of(pipeline, repeat)
    t_graph, _ = best_of(lambda: mask_to_graph(pred_mask), repeat)
    t_apls, _ = best_of(lambda: apls_score(gt_graph, pred_graph), repeat)
    t_topo, topo = best_of(lambda: topo_score(gt_graph, pred_graph), repeat)
    return [[f'{name} 1300x1300 mask -> graph -> APLS', f'{t_graph:.3f} (graph)',
             f'{t_apls:.3f}', f'{t_topo:.3f}', f'{t_pipe:.3f} (+TOPO {t_topo:.3f})',
             f'{r.apls:.4f} ({pred_graph.num_edges} edges)', f'{topo.f1:.4f}']]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=os.environ.get(
        'MMKD_RS_REAL_DATA', str(REPO.parent / 'shared' / 'data' / 'real')))
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()
    root = Path(args.data)
    rows = []
    if (root / 'spacenet3_roads_apls').is_dir():
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
