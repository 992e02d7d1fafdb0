"""Write a deterministic synthetic bi-temporal building-change set in LEVIR-CD layout.

    python tools/dataset_converters/generate_synthetic_levir.py data/synthetic_levir_cd \
        --num-train 64 --num-val 8 --num-test 8 --size 256 --seed 0

Output: ``OUT/{train,val,test}/{A,B,label}/<split>_<i>.png`` (8-bit RGB dates,
label 0/255). See ``mmkd_rs.datasets.synthetic.levir`` for what is drawn.
"""
import argparse
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='output data root')
    parser.add_argument('--num-train', type=int, default=64, help='training tile pairs')
    parser.add_argument('--num-val', type=int, default=8, help='validation tile pairs')
    parser.add_argument('--num-test', type=int, default=8, help='test tile pairs')
    parser.add_argument('--size', type=int, default=256, help='tile side in pixels')
    parser.add_argument('--seed', type=int, default=0,
                        help='generator seed (the same seed, the same files)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from mmkd_rs.datasets.synthetic import generate_synthetic_levir
    start = time.perf_counter()
    generate_synthetic_levir(args.out_dir, args.num_train, args.num_val, args.num_test,
                             args.size, args.seed)
    total = args.num_train + args.num_val + args.num_test
    print(f'wrote {total} tiles of {args.size} px to {args.out_dir} '
          f'in {time.perf_counter() - start:.1f} s')


if __name__ == '__main__':
    main()
