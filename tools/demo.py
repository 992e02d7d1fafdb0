"""The main job on an embedded default: teacher -> students -> leaderboard.

Runs the change-detection part of the quick benchmark suite on a
deterministic synthetic copy of LEVIR-CD (written to
``data/quick/levir_cd_256`` in LEVIR-CD's on-disk layout if missing): the
teacher, the student alone and distilled students are trained and tested on
the CPU, each run leaves a result record, and the leaderboard is generated
from those records and printed. Finished runs are reused, so a second
``make demo`` only regenerates the table (``--force`` reruns everything).

The demo runs one seed: its table shows the pipeline working, it cannot
rank methods (that needs >= 3 seeds per entry). The multi-seed leaderboards
are committed under ``benchmarks/leaderboards/``.

    python tools/demo.py [--work-root work_dirs/demo] [--force]
"""
import argparse
import glob
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SUITE = osp.join('benchmarks', 'suites', 'changedet_quick.py')
BOARDS = osp.join('benchmarks', 'leaderboards')
ONE_SEED_NOTE = (
    'This demo ran ONE seed per entry: its table cannot rank methods. Differences between '
    'entries are within seed-to-seed noise until an entry has >= 3 seeds paired with the '
    'student alone ("needs >= 3 seeds" in the table). For rankings with 95 % confidence '
    f'intervals see the committed multi-seed leaderboards in {BOARDS}/ (e.g. '
    f'{BOARDS}/changedet-levir-quick.md).')


def _run(cmd):
    print('+ ' + ' '.join(cmd), flush=True)
    return subprocess.run(cmd, cwd=REPO).returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-root', default=osp.join('work_dirs', 'demo'))
    parser.add_argument('--force', action='store_true', help='retrain finished runs')
    parser.add_argument('--tags', nargs='+', default=['demo'],
                        help='suite entries to run (default: the demo subset)')
    args = parser.parse_args(argv)
    results = osp.join(args.work_root, 'results')
    boards = osp.join(args.work_root, 'leaderboards')
    start = time.time()
    cmd = [sys.executable, 'tools/run_benchmark.py', SUITE, '--tags', *args.tags, '--seeds',
           '0', '--results-dir', results, '--work-root', osp.join(args.work_root, 'runs')]
    if args.force:
        cmd.append('--force')
    status = _run(cmd)
    status_lb = _run([sys.executable, 'tools/leaderboard.py', results, '--out', boards,
                      '--no-readme'])
    elapsed = time.time() - start
    tables = sorted(glob.glob(osp.join(REPO, boards, '*.md')))
    print()
    for table in tables:
        print(open(table, encoding='utf-8').read())
    runs = osp.join(args.work_root, 'runs')
    print(f'Demo finished in {elapsed / 60:.1f} min. Rows marked "missing" are suite entries '
          'outside the demo subset: run them with python tools/run_benchmark.py ' + SUITE)
    print(f'  checkpoints and logs : {runs}/<suite>/<entry>/seed_<k>-<config hash>/ '
          '(iter_*.pth, <timestamp>/*.log)')
    print(f'  metrics (records)    : {results}/<suite>/<entry>/seed_<k>.json')
    print(f'  leaderboard          : {boards}/ (markdown, CSV, HTML, plots)')
    print()
    print(ONE_SEED_NOTE)
    if status or status_lb or not tables:
        print('Some runs failed: their rows say so above; see their logs.', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
