"""Parameter counts of a config's student and teacher(s).

Example::

    python tools/analysis/params.py KD_CONFIG
    student: 12.345 M (12345678), trainable 12.345 M
    teacher: 40.100 M (40100000), trainable 40.100 M
"""
import argparse

from mmengine.config import DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Parameters of student and teachers')
    parser.add_argument('config', help='config file (plain or distillation)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.benchmark.complexity import count_params
    from mmkd_rs.benchmark.measure import load_config
    from mmkd_rs.benchmark.model_parts import build_model_part, is_distill_config
    from mmkd_rs.distill.parts import teacher_cfgs
    from mmkd_rs.utils.errors import user_errors

    counts = {}
    with user_errors('params'):
        cfg = load_config(args.config, args.cfg_options)
        parts = [('student', 'student', 0)]
        if is_distill_config(cfg):
            n = len(teacher_cfgs(cfg.model))
            parts += [('teacher' if n == 1 else f'teacher[{i}]', 'teacher', i)
                      for i in range(n)]
        for label, part, index in parts:
            model = build_model_part(cfg, part, index)
            counts[label] = (count_params(model), count_params(model, trainable_only=True))
    for label, (total, trainable) in counts.items():
        print(f'{label}: {total / 1e6:.3f} M ({total}), trainable {trainable / 1e6:.3f} M')
    return {k: v[0] for k, v in counts.items()}


if __name__ == '__main__':
    main()
