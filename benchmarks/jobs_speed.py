"""Wall time of a suite's first entries run one at a time or several at once.

Runs ``tools/run_benchmark.py`` (in this process) on the first ``--entries``
entries of one suite (with the entries whose checkpoints they load) once per
setting ``JOBSxTHREADS`` (default ``1x2`` then ``2x1``: ``--jobs 1 --threads
2`` versus ``--jobs 2 --threads 1``), each into a fresh temporary results
folder and work root, so nothing is reused between settings.  Before the
first timing the suite's dataset is prepared and ``--list`` shows the runs
(which also imports what every invocation needs, so the first setting does
not pay for it).  For each setting it prints the
wall seconds of the whole invocation (training, testing, measuring), the
runs finished and failed, and the summed training wall time of the records
(``train.total_s``); ``--out`` writes the same as JSON.  The temporary
folders are deleted unless ``--keep``.

Use an idle machine: the settings are compared by wall time.  Arguments
after ``--`` go to every ``run_benchmark.py`` call::

    python benchmarks/jobs_speed.py benchmarks/suites/changedet_quick.py --entries 3
    python benchmarks/jobs_speed.py benchmarks/suites/roads_quick.py --entries 2 \\
        --settings 1x2 2x1 --out jobs_speed.json -- --seeds 0 --no-measure
"""
import argparse
import importlib.util
import json
import os.path as osp
import shutil
import sys
import tempfile
import time
from typing import List, Tuple

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _setting(text: str) -> Tuple[int, int]:
    """``'2x1'`` -> (jobs 2, threads 1)."""
    try:
        jobs, threads = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'a setting is JOBSxTHREADS (e.g. 2x1), got {text!r}') from None
    if jobs < 1 or threads < 1:
        raise argparse.ArgumentTypeError(f'jobs and threads must be positive, got {text!r}')
    return jobs, threads


def parse_args(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index('--') + 1:] if '--' in argv else []
    argv = argv[:argv.index('--')] if '--' in argv else argv
    parser = argparse.ArgumentParser(description='Wall time of --jobs / --threads settings')
    parser.add_argument('suite', help='one suite file (not a collection)')
    parser.add_argument('--entries', type=int, default=3,
                        help='the first N entries of the suite (default: %(default)s)')
    parser.add_argument('--settings', nargs='+', type=_setting, default=[(1, 2), (2, 1)],
                        metavar='JOBSxTHREADS', help='default: 1x2 2x1')
    parser.add_argument('--out', help='JSON file for the results')
    parser.add_argument('--tmp-dir', help='parent of the temporary folders (default: the '
                        'system\'s)')
    parser.add_argument('--keep', action='store_true', help='keep the temporary folders')
    args = parser.parse_args(argv)
    args.extra = extra
    return args


def _run_benchmark_tool():
    spec = importlib.util.spec_from_file_location(
        'run_benchmark', osp.join(REPO, 'tools', 'run_benchmark.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def _first_entries(suite_file: str, count: int) -> Tuple[object, List[str]]:
    from mmkd_rs.benchmark.suite import load_suites
    suites = load_suites([suite_file])
    if len(suites) != 1:
        raise ValueError(f'{suite_file} is a collection of {len(suites)} suites; give one '
                         'suite file (e.g. benchmarks/suites/changedet_quick.py)')
    names = [e.name for e in suites[0].entries
             if not (e.placeholder and not osp.isfile(osp.join(REPO, e.config)))]
    return suites[0], names[:count]


def time_setting(tool, suite_file: str, names: List[str], jobs: int, threads: int,
                 extra: List[str], folder: str) -> dict:
    """One ``run_benchmark.py`` invocation into ``folder``: wall seconds and records."""
    from mmkd_rs.benchmark.records import load_records
    results = osp.join(folder, 'results')
    argv = [suite_file, '--only', *names, '--jobs', str(jobs), '--threads', str(threads),
            '--results-dir', results, '--work-root', osp.join(folder, 'work'),
            '--no-generate', *extra]
    print(f'== --jobs {jobs} --threads {threads} into {folder}', flush=True)
    start = time.perf_counter()
    status = tool.main(argv)
    wall = time.perf_counter() - start
    records = load_records(results) if osp.isdir(results) else []
    return dict(jobs=jobs, threads=threads, wall_s=round(wall, 3), exit_status=status,
                runs=len(records),
                failed=sum(r['status'] != 'finished' for r in records),
                recorded_threads=sorted({r['hardware'].get('threads') for r in records}),
                train_total_s=round(sum((r.get('train') or {}).get('total_s') or 0.0
                                        for r in records), 3))


def main(argv=None) -> int:
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.benchmark.prepare import prepare_dataset
    from mmkd_rs.benchmark.suite import SuiteError
    try:
        suite, names = _first_entries(args.suite, args.entries)
        prepare_dataset(suite, REPO)  # generated once, outside the timings
    except (SuiteError, ValueError) as err:
        sys.stderr.write(f'jobs_speed: error: {err}\n')
        return 2
    tool = _run_benchmark_tool()
    if tool.main([args.suite, '--only', *names, '--list', *args.extra]) != 0:
        return 2
    rows = []
    for jobs, threads in args.settings:
        folder = tempfile.mkdtemp(prefix=f'jobs_speed_{jobs}x{threads}_', dir=args.tmp_dir)
        try:
            rows.append(time_setting(tool, args.suite, names, jobs, threads, args.extra,
                                     folder))
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    print(f'\n{suite.name}, entries {names}')
    print(f'{"setting":<22} {"wall s":>9} {"runs":>5} {"failed":>6} {"sum train s":>12}')
    for row in rows:
        setting = f'--jobs {row["jobs"]} --threads {row["threads"]}'
        print(f'{setting:<22} {row["wall_s"]:>9.1f} {row["runs"]:>5} {row["failed"]:>6} '
              f'{row["train_total_s"]:>12.1f}')
    if len(rows) > 1 and rows[-1]['wall_s'] > 0:
        print(f'wall time of the first setting / the last: '
              f'{rows[0]["wall_s"] / rows[-1]["wall_s"]:.2f}')
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            json.dump(dict(suite=suite.name, entries=names, settings=rows), f, indent=2)
            f.write('\n')
    return 0 if all(r['exit_status'] == 0 and r['runs'] and not r['failed']
                    for r in rows) else 1


if __name__ == '__main__':
    sys.exit(main())
