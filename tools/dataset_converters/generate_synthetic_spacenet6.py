"""Generate seeded synthetic SpaceNet 6 tiles (paired SAR / EO + buildings).

    python tools/dataset_converters/generate_synthetic_spacenet6.py data/synthetic_spacenet6 \
        --num-tiles 64 --size 64 --seed 0

Writes the SpaceNet 6 train-folder layout (``SAR-Intensity``, ``PS-RGB``,
``geojson_buildings``, ``SummaryData/SAR_orientations.txt``) plus
``splits/{train,val,test}.txt`` (test: the easternmost tiles, val the next ones west;
``--test-fraction 0`` writes no test split); see :mod:`mmkd_rs.datasets.synthetic.spacenet6`.
"""
import argparse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out', help='output folder')
    parser.add_argument('--num-tiles', type=int, default=64, help='tiles in all splits')
    parser.add_argument('--size', type=int, default=64, help='tile size (px)')
    parser.add_argument('--pixel-size', type=float, default=2.0, help='metres per pixel')
    parser.add_argument('--num-strips', type=int, default=2,
                        help='SAR acquisition strips the tiles are spread over')
    parser.add_argument('--val-fraction', type=float, default=0.25,
                        help='share of tiles in val (0-1)')
    parser.add_argument('--test-fraction', type=float, default=0.25,
                        help='share of tiles in a separate test split (0-1; 0: none)')
    parser.add_argument('--sar-unit', choices=['db', 'linear'], default='db',
                        help='unit of the written SAR-Intensity values')
    parser.add_argument('--seed', type=int, default=0,
                        help='generator seed (the same seed, the same files)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6
    splits = generate_synthetic_spacenet6(
        args.out, num_tiles=args.num_tiles, size=args.size, pixel_size=args.pixel_size,
        num_strips=args.num_strips, val_fraction=args.val_fraction,
        test_fraction=args.test_fraction, sar_unit=args.sar_unit, seed=args.seed)
    print(f'wrote {len(splits["train"])} train / {len(splits["val"])} val / '
          f'{len(splits.get("test", []))} test tiles to {args.out}')


if __name__ == '__main__':
    main()
