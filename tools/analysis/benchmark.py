"""Inference speed (FPS) of a config's student (or teacher), batch size 1.

Examples::

    python tools/analysis/benchmark.py CONFIG                       # random weights
    python tools/analysis/benchmark.py CONFIG work_dirs/x/iter_20000.pth --repeat 200
    python tools/analysis/benchmark.py KD_CONFIG --teacher --device cuda

Times ``model(inputs, data_samples, mode='predict')`` on a fake preprocessed
batch after ``--warmup`` untimed passes; on CUDA each pass is bracketed by
``torch.cuda.synchronize``.  Reports the median time, FPS and the number of
CPU threads torch uses (set it with ``--threads``).
"""
import argparse

from mmengine.config import DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='FPS of a model (mmkd_rs)')
    parser.add_argument('config', help='config file (plain or distillation)')
    parser.add_argument('checkpoint', nargs='?', help='weights (a distillation checkpoint '
                        'gives its student, or its teacher with --teacher)')
    parser.add_argument('--shape', type=int, nargs=2, metavar=('H', 'W'),
                        help='input size in pixels (default: the size one test-time forward '
                        'sees, as in tools/analysis/get_flops.py)')
    parser.add_argument('--repeat', type=int, default=50, help='timed passes')
    parser.add_argument('--warmup', type=int, default=10, help='untimed passes first')
    parser.add_argument('--device', default=None,
                        help='cpu or cuda (default: cuda when available)')
    parser.add_argument('--threads', type=int, help='torch CPU threads')
    parser.add_argument('--teacher', action='store_true', help='time the teacher')
    parser.add_argument('--teacher-index', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    import torch

    import mmkd_rs  # noqa: F401
    from mmkd_rs.benchmark.complexity import count_params, measure_fps
    from mmkd_rs.benchmark.dummy_inputs import default_input_hw
    from mmkd_rs.benchmark.measure import load_config
    from mmkd_rs.benchmark.model_parts import build_model_part
    from mmkd_rs.utils.errors import user_errors

    if args.threads:
        torch.set_num_threads(args.threads)
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    with user_errors('benchmark'):
        cfg = load_config(args.config, args.cfg_options)
        part = 'teacher' if args.teacher else 'student'
        model = build_model_part(cfg, part, args.teacher_index, args.checkpoint, device)
        hw = tuple(args.shape) if args.shape else default_input_hw(cfg)
        result = measure_fps(model, hw, args.warmup, args.repeat)
    result.update(part=part, params=count_params(model), shape=list(hw))
    where = result['device_name'] or f'CPU, {result["threads"]} thread(s)'
    print(f'{args.config} ({part}), input {hw[0]}x{hw[1]}, batch 1, {where}: '
          f'{result["fps"]:.2f} img/s ({result["ms_per_img"]:.2f} ms/img, median of '
          f'{args.repeat} after {args.warmup} warm-up)')
    return result


if __name__ == '__main__':
    main()
