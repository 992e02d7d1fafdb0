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
into the configs' data preprocessor. A SAR-only folder (no ``PS-RGB/``) converts
too: its statistics hold ``"eo": null``.

Nothing is overwritten: a list folder that already holds split lists (e.g. the
dataset's own ``splits/``) is refused unless ``--overwrite`` is given (or write
them elsewhere with ``--out-dir``), the lists never go into the challenge's
own folders, and a split that would be empty is an error.
"""
import argparse
import glob
import os.path as osp
import random

from mmkd_rs.utils.errors import DatasetNotFoundError, UserError, user_errors

#: The challenge's folders the converter reads (never written to).
INPUT_DIRS = ('SAR-Intensity', 'PS-RGB', 'geojson_buildings', 'SummaryData')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='SpaceNet 6 train folder (AOI_11_Rotterdam)')
    parser.add_argument('--out-dir', help='where the lists go (default ROOT/splits)')
    parser.add_argument('--val-min-easting', type=float, default=None,
                        help='UTM 31N easting (m) from which tiles are validation (default: '
                        'SN6_VAL_MIN_EASTING of mmkd_rs.datasets.sar_optical.prepare, '
                        'the eastern fifth of Rotterdam)')
    parser.add_argument('--sar-unit', choices=['db', 'linear'], default='db',
                        help='unit of the SAR-Intensity values (config: SARToDecibel)')
    parser.add_argument('--sar-clip', type=float, nargs=2, default=None,
                        metavar=('LOW', 'HIGH'), help='dB clip range of the config')
    parser.add_argument('--stats-tiles', type=int, default=200,
                        help='training tiles sampled for the statistics (0 = none)')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace split lists already in the list folder')
    return parser.parse_args(argv)


def check_splits(splits, dropped, val_min_easting):
    """Raise :class:`UserError` if the train or the val list would be empty."""
    kept = len(splits['train']) + len(splits['val'])
    where = {'val': 'at or east of', 'train': 'west of'}
    fix = {'val': 'lower it', 'train': 'raise it'}
    for name in ('train', 'val'):
        if not splits[name]:
            raise UserError(
                f'the {name} split would be empty: none of the {kept} tiles with valid SAR '
                f'({len(dropped)} without were dropped) has its west edge {where[name]} '
                f'--val-min-easting {val_min_easting} m (UTM 31N); {fix[name]}.')


def check_out_dir(root, out_dir, overwrite):
    """Refuse writing into an input folder, or over existing lists without ``overwrite``."""
    for folder in INPUT_DIRS:
        folder = osp.realpath(osp.join(root, folder))
        target = osp.realpath(out_dir)
        if target == folder or target.startswith(folder + osp.sep):
            raise UserError(f'--out-dir "{out_dir}" lies in the input folder "{folder}"; a '
                            'converter never writes into its input: choose another one.')
    existing = sorted(osp.basename(p) for p in glob.glob(osp.join(out_dir, '*.txt')) +
                      glob.glob(osp.join(out_dir, 'stats.json')))
    if existing and not overwrite:
        raise UserError(
            f'"{out_dir}" already holds split lists ({", ".join(existing)}), maybe the '
            "dataset's own; they are kept. Write the new lists elsewhere with --out-dir DIR "
            '(and point the configs at them with --cfg-options '
            'train_dataloader.dataset.ann_file=DIR/train.txt '
            'val_dataloader.dataset.ann_file=DIR/val.txt) or pass --overwrite to replace '
            'them.')


def main(argv=None):
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.sar_optical.prepare import (SN6_VAL_MIN_EASTING, band_stats,
                                                      split_spacenet6, write_splits)
    from mmkd_rs.datasets.sar_optical.spacenet6 import index_tiles
    if args.val_min_easting is None:
        args.val_min_easting = SN6_VAL_MIN_EASTING
    with user_errors('spacenet6'):
        sar_dir = osp.join(args.root, 'SAR-Intensity')
        if not osp.isdir(sar_dir):
            raise DatasetNotFoundError('SpaceNet 6', sar_dir,
                                       'ROOT/{SAR-Intensity,PS-RGB,geojson_buildings,SummaryData}')
        out_dir = args.out_dir or osp.join(args.root, 'splits')
        check_out_dir(args.root, out_dir, args.overwrite)
        splits, dropped = split_spacenet6(args.root, val_min_easting=args.val_min_easting)
        check_splits(splits, dropped, args.val_min_easting)
        stats = None
        if args.stats_tiles:
            ids = random.Random(0).sample(splits['train'],
                                          min(args.stats_tiles, len(splits['train'])))
            sar, eo = index_tiles(sar_dir, '.tif'), index_tiles(
                osp.join(args.root, 'PS-RGB'), '.tif')
            eo_paths = [eo[i] for i in ids if i in eo]   # none in a SAR-only folder
            stats = dict(
                sar=band_stats([sar[i] for i in ids], args.sar_unit == 'linear',
                               args.sar_clip),
                eo=band_stats(eo_paths, nodata_from_nan=False) if eo_paths else None,
                tiles=len(ids))
        write_splits(out_dir, splits, stats)
        print(f'train {len(splits["train"])} / val {len(splits["val"])} tiles, '
              f'{len(dropped)} without valid SAR dropped -> {out_dir}')
        if stats:
            print(f'SAR mean {stats["sar"]["mean"]} std {stats["sar"]["std"]}')
            if stats['eo'] is not None:
                print(f'EO  mean {stats["eo"]["mean"]} std {stats["eo"]["std"]}')
            else:
                print('EO  no PS-RGB tile among the training tiles: SAR statistics only '
                      '(stats.json "eo": null)')


if __name__ == '__main__':
    main()
