"""FLOPs and parameters of a config's student (or teacher).

Examples::

    python tools/analysis/get_flops.py \\
        configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py
    python tools/analysis/get_flops.py KD_CONFIG --shape 512 512            # the student
    python tools/analysis/get_flops.py KD_CONFIG --teacher                  # the teacher

FLOPs are counted by mmengine's FlopAnalyzer on ``model(inputs)`` (the
network up to its logits) for one image; one multiply-add counts as one
FLOP.  The input is a fake batch passed through the model's own data
preprocessor, so bi-temporal models get both dates (e.g. 3 + 3 channels).
"""
import argparse

from mmengine.config import DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='FLOPs and params of a model (mmkd_rs)')
    parser.add_argument('config', help='config file (plain or distillation)')
    parser.add_argument('--shape', type=int, nargs=2, metavar=('H', 'W'),
                        help='input size in pixels (default: the size one test-time forward sees: '
                        'the sliding window model.test_cfg.crop_size, else the training '
                        'crop_size, else 256 256)')
    parser.add_argument('--channels', type=int,
                        help='input channels (default: inferred from the model)')
    parser.add_argument('--teacher', action='store_true',
                        help='measure the teacher of a distillation config')
    parser.add_argument('--teacher-index', type=int, default=0,
                        help='which teacher of a multi-teacher config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    parser.add_argument('--table', action='store_true', help='print the per-module table')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmengine.analysis import get_model_complexity_info
    from mmkd_rs.benchmark.dummy_inputs import (build_dummy_batch, default_input_hw,
                                                infer_in_channels)
    from mmkd_rs.benchmark.measure import load_config
    from mmkd_rs.benchmark.model_parts import build_model_part
    from mmkd_rs.utils.errors import user_errors

    with user_errors('get_flops'):
        cfg = load_config(args.config, args.cfg_options)
        part = 'teacher' if args.teacher else 'student'
        model = build_model_part(cfg, part, args.teacher_index)
        hw = tuple(args.shape) if args.shape else default_input_hw(cfg)
        channels = args.channels or infer_in_channels(model)
        data = build_dummy_batch(model, hw, channels=channels)
        info = get_model_complexity_info(model, inputs=(data['inputs'], ),
                                         show_table=args.table, show_arch=False)
    split = '=' * 40
    if args.table:
        print(info['out_table'])
    print(f'{split}\nConfig: {args.config} ({part})\n'
          f'Input shape: ({channels}, {hw[0]}, {hw[1]})\n'
          f'Flops: {info["flops_str"]} ({info["flops"]})\n'
          f'Params: {info["params_str"]} ({info["params"]})\n{split}')
    print('FLOPs: 1 multiply-add = 1 FLOP; ops mmengine cannot count (pooling, '
          'interpolation, elementwise) are left out.')
    return dict(part=part, flops=int(info['flops']), params=int(info['params']),
                input_shape=[channels, *hw])


if __name__ == '__main__':
    main()
