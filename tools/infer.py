"""Predict unlabeled rasters of any size with a trained (or distilled) model.

Examples::

    # change detection: date A and date B (files, or two folders paired by file name)
    python tools/infer.py CONFIG CHECKPOINT t1.tif t2.tif --out preds/
    python tools/infer.py CONFIG CHECKPOINT scenes/2019 scenes/2023 --out preds/ --probs
    # SAR building footprints (SAR only) or roads: files and / or folders
    python tools/infer.py CONFIG CHECKPOINT sar_tile.tif more_tiles/ --out preds/
    python tools/infer.py CONFIG CHECKPOINT city.tif --out preds/ --tile-size 2048

CONFIG may be a distillation config (its student is used) and CHECKPOINT a
distillation checkpoint or a student extracted with
tools/model_converters/extract_student.py. Rasters are read and written in
windows of --tile-size pixels (plus the context the config's test protocol
needs), so a 20000 x 20000 scene needs no more memory than a tile.

Per input, in --out: <name>_mask.tif (class indices, the input's CRS and
transform; <name>_mask.png, 0/255, for inputs without georeference),
<name>_probs.tif with --probs, and <name>_polygons.geojson (change,
buildings) or <name>_roads.geojson (road graph as LineStrings, for APLS)
unless --no-vectors.
"""
import argparse
import os.path as osp

from mmengine.config import DictAction

import mmkd_rs  # noqa: F401  (mmcv-lite compatibility, safe checkpoint loading)
from mmkd_rs.utils.errors import user_errors

# torch and the inferencer are imported after the arguments are parsed, so that
# --help and argument errors answer at once


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Predict rasters of any size (mmkd_rs)',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('config', help='config file (a distillation config uses its student)')
    parser.add_argument('checkpoint', help='checkpoint (segmentor, extracted student or '
                        'distillation checkpoint)')
    parser.add_argument('inputs', nargs='+',
                        help='rasters or folders; change detection: date A then date B')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--probs', action='store_true', help='also write class probabilities')
    parser.add_argument('--no-vectors', action='store_true',
                        help='skip the GeoJSON polygons / road lines')
    parser.add_argument('--tile-size', type=int, default=1024,
                        help='core of each window in pixels (default 1024)')
    parser.add_argument('--margin', type=int, default=128,
                        help="context around each window for 'whole' test protocols (px)")
    parser.add_argument('--device', default='cpu', help="e.g. 'cpu' or 'cuda:0'")
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with user_errors('infer'):
        from mmkd_rs.utils.tool_utils import pin_torch_threads
        pin_torch_threads()
        from mmkd_rs.apis import RSInferencer
        inferencer = RSInferencer(args.config, args.checkpoint, device=args.device,
                                  tile_size=args.tile_size, margin=args.margin,
                                  cfg_options=args.cfg_options,
                                  show_progress=not args.no_progress)
        results = inferencer(args.inputs, args.out, probs=args.probs,
                             vectors=not args.no_vectors)
    for result in results:
        written = ', '.join(osp.basename(result[k])
                            for k in ('mask', 'probs', 'polygons', 'roads') if k in result)
        print(f"{result['name']}: {written}")
    print(f'{len(results)} input(s) predicted into {args.out}')
    return results


if __name__ == '__main__':
    main()
