"""APLS (both directions) and TOPO between a ground-truth and a proposed road network.

Inputs (by extension): GeoJSON road lines, SpaceNet ``ImageId,WKT_Pix`` CSV,
or a road mask (PNG/TIF; non-zero = road). Pixel inputs need a
georeference (their own GeoTIFF tags or ``--raster-ref``) or ``--gsd``.

Examples::

    python tools/analysis/apls.py gt.geojson submission.csv \\
        --image-id AOI_2_Vegas_img0 --raster-ref RGB-PanSharpen_AOI_2_Vegas_img0.tif
    python tools/analysis/apls.py gt_mask.png pred_mask.png --gsd 0.3 --old-settings

TOPO follows the reference's definition; ``--topo-mode reference --seed K``
draws its start nodes as the reference does after ``np.random.seed(K)``
(one draw of a wide distribution), the default uses every node once.
"""
import argparse
import json
import sys
import time


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('gt', help='ground truth: GeoJSON, SpaceNet CSV or mask')
    p.add_argument('proposal', help='proposal: GeoJSON, SpaceNet CSV or mask')
    p.add_argument('--image-id', help='ImageId to read from CSV inputs')
    p.add_argument('--raster-ref', help='GeoTIFF of the tile (georeferences pixel inputs)')
    p.add_argument('--gsd', type=float, help='metres per pixel for non-georeferenced pixels')
    p.add_argument('--old-settings', action='store_true',
                   help='older APLS setting: 200 m midpoints on curved edges only')
    p.add_argument('--snap', type=float, default=4.0, help='snap radius in metres (4)')
    p.add_argument('--topo-mode', choices=('deterministic', 'reference'), default='deterministic',
                   help='TOPO start nodes: every GT node once (deterministic, the default) '
                        'or drawn with replacement as the reference draws them')
    p.add_argument('--topo-starts', '--topo-samples', type=int, default=500,
                   help='most TOPO start nodes (500, as the reference)')
    p.add_argument('--seed', type=int, default=0, help='TOPO sampling seed (0)')
    p.add_argument('--no-topo', action='store_true', help='skip TOPO')
    p.add_argument('--json', action='store_true', help='print one JSON object instead')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # numpy / scipy / rasterio / shapely only: the graph metrics never import torch
    from mmkd_rs.evaluation.graph.apls import APLSSettings, apls_score
    from mmkd_rs.evaluation.graph.loaders import common_frame, load_road_graph
    from mmkd_rs.evaluation.graph.topo import TopoSettings, topo_score
    from mmkd_rs.geo import Georef
    try:
        t0 = time.perf_counter()
        ref = Georef.from_file(args.raster_ref, require_crs=True) if args.raster_ref else None
        frame = common_frame(args.gt, ref)
        kw = dict(image_id=args.image_id, georef=ref, frame=frame, gsd=args.gsd)
        gt, _ = load_road_graph(args.gt, **kw)
        prop, _ = load_road_graph(args.proposal, **kw)
        t1 = time.perf_counter()
        settings = APLSSettings.old() if args.old_settings else APLSSettings()
        settings = APLSSettings(settings.control_spacing, settings.curved_eps, args.snap,
                                settings.min_path_length)
        apls = apls_score(gt, prop, settings)
        t2 = time.perf_counter()
        topo = None if args.no_topo else topo_score(
            gt, prop, TopoSettings(max_starts=args.topo_starts, mode=args.topo_mode),
            seed=args.seed)
        t3 = time.perf_counter()
    except (ValueError, FileNotFoundError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    out = dict(apls=apls.apls, apls_gt_to_prop=apls.gt_to_prop,
               apls_prop_to_gt=apls.prop_to_gt, gt_nodes=gt.num_nodes, gt_edges=gt.num_edges,
               prop_nodes=prop.num_nodes, prop_edges=prop.num_edges,
               settings='old (200 m, curved edges)' if args.old_settings else 'default (50 m)',
               topo_mode=args.topo_mode,
               seconds=dict(load=t1 - t0, apls=t2 - t1, topo=t3 - t2))
    if topo is not None:
        out.update(topo.as_dict(), topo_tp=topo.tp, topo_fp=topo.fp, topo_fn=topo.fn)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f'ground truth : {gt.num_nodes} nodes, {gt.num_edges} edges, '
          f'{gt.total_length():.0f} m')
    print(f'proposal     : {prop.num_nodes} nodes, {prop.num_edges} edges, '
          f'{prop.total_length():.0f} m')
    print(f'settings     : {out["settings"]}, snap {args.snap} m')
    print(f'APLS         : {apls.apls:.4f}')
    print(f'  GT -> prop : {apls.gt_to_prop:.4f}')
    print(f'  prop -> GT : {apls.prop_to_gt:.4f}')
    if topo is not None:
        print(f'TOPO         : precision {topo.precision:.4f}  recall {topo.recall:.4f}  '
              f'F1 {topo.f1:.4f}  (tp {topo.tp}, fp {topo.fp}, fn {topo.fn}; '
              f'{args.topo_mode} starts, at most {args.topo_starts}, seed {args.seed})')
    print(f'time         : load {t1 - t0:.3f} s, APLS {t2 - t1:.3f} s, TOPO {t3 - t2:.3f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
