"""Turn benchmark result records into leaderboards.

Examples::

    python tools/leaderboard.py benchmarks/results --out benchmarks/leaderboards
    python tools/leaderboard.py benchmarks/results --check          # CI: up to date?
    python tools/leaderboard.py work_dirs/res --suite benchmarks/suites/changedet_quick.py

Writes ``<out>/<leaderboard>.{md,csv,html}`` and plots (accuracy vs FLOPs and
vs FPS with the Pareto front, training curves) and rewrites the tables
between ``<!-- leaderboard:<name>:start -->`` / ``<!-- leaderboard:<name>:end -->``
in ``README.md`` and ``configs/*/README.md`` under ``--root``, and the model-zoo
``configs/<method>/metafile.yaml`` files with the root ``model-index.yml``
(:mod:`mmkd_rs.benchmark.metafile`).  Output is
deterministic: running it twice gives byte-identical files.  ``--check``
writes nothing and exits with status 1 when a file would change or a record
is invalid (finished without a finite main metric; each such file is named).
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Aggregate benchmark results into leaderboards')
    parser.add_argument('results_dir',
                        help='folder of result records (<suite>/<entry>/seed_<k>.json)')
    parser.add_argument('--out', default=osp.join('benchmarks', 'leaderboards'),
                        help='folder for the tables and plots (default: %(default)s)')
    parser.add_argument('--suite', nargs='+', default=None,
                        help='suite file(s) defining the expected runs (default: the '
                        'suite.json manifests the runner wrote into RESULTS_DIR)')
    parser.add_argument('--root', default=REPO,
                        help='repository root whose README.md and configs/*/README.md get '
                        'their marked tables rewritten (default: this repository)')
    parser.add_argument('--no-readme', action='store_true',
                        help='do not touch the READMEs, configs/*/metafile.yaml and '
                        'model-index.yml')
    parser.add_argument('--no-plots', action='store_true', help='tables only')
    parser.add_argument('--check', action='store_true',
                        help='write nothing; exit 1 if any output or README would change or '
                        'a record is invalid')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    # after parsing: --help needs none of pandas, scipy, matplotlib and mmengine
    from mmkd_rs.benchmark.leaderboard import (apply_outputs, collect_boards, read_manifests,
                                               readme_paths, render_board_files,
                                               render_readmes)
    from mmkd_rs.benchmark.metafile import render_metafiles
    from mmkd_rs.benchmark.readme_markers import MarkerError
    from mmkd_rs.benchmark.records import RecordError
    from mmkd_rs.benchmark.suite import SuiteError, leaderboard_names, load_suites
    try:
        manifests = ([s.manifest(args.root) for s in load_suites(args.suite)] if args.suite
                     else read_manifests(args.results_dir))
        if not manifests:
            raise FileNotFoundError(f'no suite manifest (suite.json) under '
                                    f'"{args.results_dir}"; pass --suite')
        boards = collect_boards(args.results_dir, manifests)
        outputs = {}
        for board in boards:
            outputs.update(render_board_files(board, args.out, not args.no_plots))
        warnings = []
        if not args.no_readme:
            known = leaderboard_names(osp.join(args.root, 'benchmarks', 'suites'))
            readmes, warnings = render_readmes(boards, readme_paths(args.root), known)
            outputs.update(readmes)
            outputs.update(render_metafiles(boards, args.root))
    except (FileNotFoundError, RecordError, MarkerError, SuiteError, ValueError) as err:
        sys.stderr.write(f'leaderboard: error: {err}\n')
        return 2
    for warning in warnings:
        sys.stderr.write(f'leaderboard: warning: {warning}\n')
    invalid = [item for board in boards for item in board.invalid]
    for path, why in invalid:
        level = 'error' if args.check else 'warning'
        sys.stderr.write(f'leaderboard: {level}: invalid record {path}: {why} (shown as '
                         '"invalid", not counted)\n')
    differ = apply_outputs(outputs, check=args.check)
    verb = 'would change' if args.check else 'written'
    for path in differ:
        print(f'{verb}: {osp.relpath(path)}')
    print(f'{len(boards)} leaderboard(s), {len(outputs)} file(s), {len(differ)} {verb}')
    return 1 if args.check and (differ or invalid) else 0


if __name__ == '__main__':
    sys.exit(main())
