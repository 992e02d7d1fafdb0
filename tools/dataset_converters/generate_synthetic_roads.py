"""Generate seeded synthetic road scenes in real dataset layouts.

    python tools/dataset_converters/generate_synthetic_roads.py data/synth_roads \
        --format deepglobe spacenet3 massachusetts --num 16 --size 256 --seed 0

Writes ``<out>/deepglobe/<id>_sat.jpg|_mask.png``, ``<out>/spacenet3/RGB-PanSharpen``
+ ``geojson/spacenetroads`` and ``<out>/massachusetts/training/{sat,map}``: feed them
to the matching converter (tools/dataset_converters/{deepglobe,spacenet3,
massachusetts}.py). ``--format mmseg`` writes the converted training layout directly
into ``<out>`` (``--num`` train + ``--num-val`` val scenes; used by the quick configs)::

    python tools/dataset_converters/generate_synthetic_roads.py data/synthetic_roads \
        --format mmseg --num 48 --num-val 12 --size 128
"""
import argparse
import os.path as osp


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out', help='output folder')
    parser.add_argument('--format', nargs='+', default=['deepglobe'],
                        choices=['deepglobe', 'spacenet3', 'massachusetts', 'mmseg'],
                        help='on-disk layouts to write (each in its own sub-folder)')
    parser.add_argument('--num', type=int, default=16,
                        help='scenes per format (training scenes for the mmseg format)')
    parser.add_argument('--num-val', type=int, default=8, help='val scenes (mmseg format)')
    parser.add_argument('--num-test', type=int, default=8,
                        help='test scenes (mmseg format; a split of their own, never val)')
    parser.add_argument('--size', type=int, default=256, help='scene side in pixels')
    parser.add_argument('--seed', type=int, default=0,
                        help='generator seed (the same seed, the same files)')
    parser.add_argument('--bit-depth', type=int, default=16, choices=[8, 16],
                        help='SpaceNet 3 GeoTIFF bit depth')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.synthetic.roads import (generate_synthetic_roads, write_deepglobe,
                                                  write_massachusetts, write_spacenet3)
    for fmt in args.format:
        folder = osp.join(args.out, fmt)
        if fmt == 'mmseg':
            generate_synthetic_roads(args.out, args.num, args.num_val, args.size, args.seed,
                                     num_test=args.num_test)
            print(f'wrote {args.num} train + {args.num_val} val + {args.num_test} test '
                  f'scenes to {args.out}')
            continue
        if fmt == 'deepglobe':
            write_deepglobe(folder, args.num, args.size, args.seed)
        elif fmt == 'spacenet3':
            write_spacenet3(folder, args.num, args.size, args.seed, args.bit_depth)
        else:
            write_massachusetts(folder, args.num, args.size, args.seed)
        print(f'wrote {args.num} {fmt} scenes to {folder}')


if __name__ == '__main__':
    main()
