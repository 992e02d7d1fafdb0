"""Plot training curves from mmengine logs (``vis_data/scalars.json``).

Examples::

    python tools/analysis/plot_curves.py work_dirs/kd_run work_dirs/student_run \
        --keys loss F1 --out curves.png
    python tools/analysis/plot_curves.py work_dirs/x/20250101_120000/vis_data/scalars.json

Each argument is a work dir (every launch of a resumed run is merged) or a
``scalars.json`` file; its label is the folder name (or ``--labels``).
Training keys starting with ``loss`` are drawn per logged iteration,
validation metrics per validation.  The PNG carries no timestamp.
"""
import argparse
import os.path as osp
import sys


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Plot training curves')
    parser.add_argument('logs', nargs='+', help='work dirs or scalars.json files')
    parser.add_argument('--keys', nargs='+', default=['loss'],
                        help='series to plot, one panel each (default: loss)')
    parser.add_argument('--labels', nargs='+', help='legend labels, one per log')
    parser.add_argument('--title', default='', help='figure title')
    parser.add_argument('--out', default='curves.png', help='output PNG')
    return parser.parse_args(argv)


def _label(path: str) -> str:
    if osp.isdir(path):
        return osp.basename(osp.normpath(path))
    # <work_dir>/<timestamp>/vis_data/scalars.json -> <work_dir> name
    return osp.basename(osp.dirname(osp.dirname(osp.dirname(osp.abspath(path)))))


def main(argv=None) -> int:
    args = parse_args(argv)
    from mmkd_rs.benchmark.plots import plot_curves
    from mmkd_rs.benchmark.train_logs import (LogError, curves_from_scalars,
                                              find_scalar_files, read_scalars)
    if args.labels and len(args.labels) != len(args.logs):
        sys.stderr.write(f'plot_curves: error: {len(args.labels)} labels for '
                         f'{len(args.logs)} logs\n')
        return 2
    curves = {}
    try:
        for i, path in enumerate(args.logs):
            files = find_scalar_files(path) if osp.isdir(path) else [path]
            if not files:
                raise LogError(f'no */vis_data/scalars.json under "{path}"')
            label = args.labels[i] if args.labels else _label(path)
            curves[label] = curves_from_scalars(read_scalars(files), args.keys,
                                                max_points=10000)
    except LogError as err:
        sys.stderr.write(f'plot_curves: error: {err}\n')
        return 2
    png = plot_curves(curves, args.keys, args.title)
    if png is None:
        sys.stderr.write(f'plot_curves: error: none of the keys {args.keys} is in the logs\n')
        return 2
    with open(args.out, 'wb') as f:
        f.write(png)
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
