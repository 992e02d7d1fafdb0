"""Prepare SEN12MS for the paired Sentinel-1 / Sentinel-2 configs.

    python tools/dataset_converters/sen12ms.py data/sen12ms --val-fraction 0.1

Lists every ``<ROIs..._season>/s1_<scene>/*.tif`` patch that has its ``s2``
and ``lc`` partners and writes ``splits/train.txt`` / ``splits/val.txt``
(s1 paths relative to the root). Whole scenes go to validation (every
``1/val-fraction``-th scene of each season, in sorted order) so that
overlapping patches of one scene never straddle the split. With
``--stats-patches N`` it also writes ``splits/stats.json`` (per-band mean /
std of N training s1 patches, clipped like the configs, and of their s2).
"""
import argparse
import glob
import os.path as osp
import random

from mmkd_rs.utils.errors import DatasetNotFoundError, user_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='SEN12MS root (holding ROIs*_<season> folders)')
    parser.add_argument('--out-dir', help='where the lists go (default ROOT/splits)')
    parser.add_argument('--val-fraction', type=float, default=0.1,
                        help='share of scenes per season used for validation')
    parser.add_argument('--stats-patches', type=int, default=200,
                        help='training patches sampled for statistics (0 = none)')
    parser.add_argument('--s1-clip', type=float, nargs=2, default=(-25.0, 0.0),
                        metavar=('LOW', 'HIGH'),
                        help='dB range the Sentinel-1 statistics are clipped to (default -25 0)')
    return parser.parse_args(argv)


def split_scenes(root: str, val_fraction: float):
    """Split lists of relative s1 paths, whole scenes to validation."""
    from mmkd_rs.datasets.sar_optical.sen12ms import s1_to_partner
    scenes = sorted(glob.glob(osp.join(root, '*', 's1_*')))
    if not scenes:
        raise DatasetNotFoundError('SEN12MS', root,
                                   'ROOT/<ROIs..._season>/{s1,s2,lc}_<scene>/*.tif')
    step = max(1, round(1 / val_fraction)) if val_fraction > 0 else 0
    splits, missing = dict(train=[], val=[]), 0
    by_season = {}
    for scene in scenes:
        by_season.setdefault(osp.dirname(scene), []).append(scene)
    for season_scenes in by_season.values():
        for k, scene in enumerate(season_scenes):
            split = 'val' if step and k % step == step - 1 else 'train'
            for path in sorted(glob.glob(osp.join(scene, '*.tif'))):
                if all(osp.isfile(s1_to_partner(path, kind)) for kind in ('s2', 'lc')):
                    splits[split].append(osp.relpath(path, root))
                else:
                    missing += 1
    return splits, missing


def main(argv=None):
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.sar_optical.prepare import band_stats, write_splits
    from mmkd_rs.datasets.sar_optical.sen12ms import s1_to_partner
    with user_errors('sen12ms'):
        splits, missing = split_scenes(args.root, args.val_fraction)
        stats = None
        if args.stats_patches and splits['train']:
            rel = random.Random(0).sample(splits['train'],
                                          min(args.stats_patches, len(splits['train'])))
            s1 = [osp.join(args.root, r) for r in rel]
            stats = dict(s1=band_stats(s1, clip=tuple(args.s1_clip)),
                         s2=band_stats([s1_to_partner(p, 's2') for p in s1],
                                       nodata_from_nan=False),
                         patches=len(rel))
        out_dir = args.out_dir or osp.join(args.root, 'splits')
        write_splits(out_dir, splits, stats)
        print(f'train {len(splits["train"])} / val {len(splits["val"])} patches '
              f'({missing} without s2/lc partner skipped) -> {out_dir}')


if __name__ == '__main__':
    main()
