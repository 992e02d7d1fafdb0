"""Split a change-detection training set by change-area ratio (CAR), as MTKD does.

    python tools/dataset_converters/partition_by_change_ratio.py \
        configs/mtkd/siam_r18w32-fpn_1xb8-20k_levir-cd-car-small-256x256.py
    python tools/dataset_converters/partition_by_change_ratio.py CONFIG \
        --thresholds 0.05 0.2 --out-dir data/levir_cd/car_partitions

Reads every label of the config's training set with the config's own label
loader, prints how many samples fall in each partition (CAR < t1, t1 <= CAR
< t2, ..., the rest) and writes one list of sample names per partition,
``<out-dir>/car_partition_<k>.txt``, usable as the dataset's ``ann_file``
(e.g. ``--cfg-options train_dataloader.dataset.ann_file=car_partitions/
car_partition_0.txt``, relative to ``data_root``). The thresholds default to
those of the config's ``ChangeRatioPartitionSampler``, else MTKD's 0.05 / 0.2;
the MTKD teacher configs draw the same partitions without these files.
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction

from mmkd_rs.utils.errors import user_errors

DEFAULT_THRESHOLDS = (0.05, 0.2)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config whose train_dataloader.dataset is split')
    parser.add_argument('--thresholds', type=float, nargs='+',
                        help='increasing CAR thresholds (default: the config sampler\'s, '
                        'else 0.05 0.2)')
    parser.add_argument('--out-dir', help='where the lists go (default: <data_root>/'
                        'car_partitions)')
    parser.add_argument('--ignore-index', type=int, default=255,
                        help='label value left out of the change-area ratio')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    return parser.parse_args(argv)


def config_thresholds(cfg) -> tuple:
    sampler = cfg.train_dataloader.get('sampler') or {}
    if sampler.get('type') == 'ChangeRatioPartitionSampler':
        return tuple(sampler.get('thresholds', DEFAULT_THRESHOLDS))
    return DEFAULT_THRESHOLDS


def main(argv=None):
    args = parse_args(argv)
    with user_errors('partition_by_change_ratio'):
        from mmengine.registry import init_default_scope

        from mmkd_rs.datasets.change_ratio import (car_partition, check_thresholds,
                                                   dataset_change_ratios, sample_stem)
        from mmkd_rs.registry import DATASETS
        from mmkd_rs.utils.tool_utils import check_data_roots, innermost_dataset_cfg, load_config
        cfg = load_config(args.config, args.cfg_options)
        init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
        check_data_roots(cfg, ('train_dataloader', ))
        thresholds = check_thresholds(args.thresholds or config_thresholds(cfg),
                                      '--thresholds')
        dataset = DATASETS.build(innermost_dataset_cfg(cfg.train_dataloader.dataset.to_dict()))
        ratios = dataset_change_ratios(dataset, args.ignore_index)
        out_dir = args.out_dir or osp.join(dataset.data_root or '.', 'car_partitions')
        os.makedirs(out_dir, exist_ok=True)
        groups = [[] for _ in range(len(thresholds) + 1)]
        for index, ratio in enumerate(ratios):
            path = dataset.get_data_info(index)['img_path']
            groups[car_partition(ratio, thresholds)].append(
                (sample_stem(path, dataset.img_suffix), ratio))
        bounds = [0.0] + thresholds + [1.0]
        print(f'{len(ratios)} training samples, CAR thresholds {thresholds}')
        print(f'{"partition":>9}  {"CAR range":<16}{"samples":>8}  {"CAR min-max":<15}  list')
        for k, group in enumerate(groups):
            path = osp.join(out_dir, f'car_partition_{k}.txt')
            with open(path, 'w') as f:
                f.writelines(f'{stem}\n' for stem, _ in group)
            span = (f'{min(r for _, r in group):.4f}-{max(r for _, r in group):.4f}'
                    if group else '-')
            closing = ']' if k == len(groups) - 1 else ')'
            print(f'{k:>9}  [{bounds[k]:.3f}, {bounds[k + 1]:.3f}{closing:<3}'
                  f'{len(group):>8}  {span:<15}  {path}')


if __name__ == '__main__':
    main()
