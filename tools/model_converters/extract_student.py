"""Extract the student of a distillation checkpoint as a plain segmentor checkpoint.

Usage::

    python tools/model_converters/extract_student.py KD_CKPT OUT \
        [--student-config configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py]

``OUT`` then loads with ``tools/test.py STUDENT_CONFIG OUT`` and mmseg's
``init_model``. With ``--student-config`` the weights are first checked to
load into that config's model with strict keys.
"""
import argparse
import sys

import mmkd_rs  # noqa: F401  (safe checkpoint loading, mmcv-lite glue)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('kd_ckpt', help='checkpoint of a TeacherStudentDistill run')
    parser.add_argument('out', help='where to write the student-only checkpoint')
    parser.add_argument('--student-config', default=None,
                        help='student config to check strict loading against')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    # torch and the distillation modules load after parsing: --help answers at once
    from mmkd_rs.distill.extract import extract_student
    from mmkd_rs.utils.errors import UserError
    try:
        summary = extract_student(args.kd_ckpt, args.out, args.student_config)
    except (FileNotFoundError, UserError) as err:
        print(f'extract_student: error: {err}', file=sys.stderr)
        return 2
    print(f"Wrote {summary['out']}: {summary['student_keys']} student tensors "
          f"({summary['dropped_keys']} teacher/distiller tensors dropped).")
    return 0


if __name__ == '__main__':
    sys.exit(main())
