"""Prepare SpaceNet 6 (Rotterdam) for the paired SAR / EO configs.

    python tools/dataset_converters/spacenet6.py data/spacenet6/train/AOI_11_Rotterdam

Reads the challenge's train folder (``SAR-Intensity/``, ``PS-RGB/``,
``geojson_buildings/``, ``SummaryData/SAR_orientations.txt``) in place and
writes ``splits/train.txt`` and ``splits/val.txt`` (tile ids) next to it:
the validation split is the easternmost strip of the city (tiles whose west
edge is at or east of ``--val-min-easting``, as the SpaceNet 6 baseline);
tiles whose SAR has no valid pixel are left out of both lists. It also
writes ``splits/stats.json`` with per-band mean / std of the training SAR
(valid pixels, after the config's dB handling and clip) and PS-RGB, to paste
into the configs' data preprocessor.
"""
import argparse
import os.path as osp
import random

import mmkd_rs  # noqa: F401
from mmkd_rs.datasets.sar_optical.prepare import (SN6_VAL_MIN_EASTING,
                                                  band_stats, split_spacenet6,
                                                  write_splits)
from mmkd_rs.datasets.sar_optical.spacenet6 import index_tiles
from mmkd_rs.utils.errors import DatasetNotFoundError, user_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='SpaceNet 6 train folder (AOI_11_Rotterdam)')
    parser.add_argument('--out-dir', help='where the lists go (default ROOT/splits)')
    parser.add_argument('--val-min-easting', type=float, default=SN6_VAL_MIN_EASTING,
                        help='UTM 31N easting (m) from which tiles are validation')
    parser.add_argument('--sar-unit', choices=['db', 'linear'], default='db',
                        help='unit of the SAR-Intensity values (config: SARToDecibel)')
    parser.add_argument('--sar-clip', type=float, nargs=2, default=None,
                        metavar=('LOW', 'HIGH'), help='dB clip range of the config')
    parser.add_argument('--stats-tiles', type=int, default=200,
                        help='training tiles sampled for the statistics (0 = none)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with user_errors('spacenet6'):
        sar_dir = osp.join(args.root, 'SAR-Intensity')
        if not osp.isdir(sar_dir):
            raise DatasetNotFoundError('SpaceNet 6', sar_dir,
                                       'ROOT/{SAR-Intensity,PS-RGB,geojson_buildings,SummaryData}')
        splits, dropped = split_spacenet6(args.root, val_min_easting=args.val_min_easting)
        stats = None
        if args.stats_tiles:
            ids = random.Random(0).sample(splits['train'],
                                          min(args.stats_tiles, len(splits['train'])))
            sar, eo = index_tiles(sar_dir, '.tif'), index_tiles(
                osp.join(args.root, 'PS-RGB'), '.tif')
            stats = dict(
                sar=band_stats([sar[i] for i in ids], args.sar_unit == 'linear',
                               args.sar_clip),
                eo=band_stats([eo[i] for i in ids if i in eo], nodata_from_nan=False),
                tiles=len(ids))
        out_dir = args.out_dir or osp.join(args.root, 'splits')
        write_splits(out_dir, splits, stats)
        print(f'train {len(splits["train"])} / val {len(splits["val"])} tiles, '
              f'{len(dropped)} without valid SAR dropped -> {out_dir}')
        if stats:
            print(f'SAR mean {stats["sar"]["mean"]} std {stats["sar"]["std"]}')
            print(f'EO  mean {stats["eo"]["mean"]} std {stats["eo"]["std"]}')


if __name__ == '__main__':
    main()
