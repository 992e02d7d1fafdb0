"""Run benchmark suites: train, test and measure every entry, write records.

Examples::

    # the change-detection quick suite on this machine (resumes if interrupted)
    python tools/run_benchmark.py benchmarks/suites/changedet_quick.py
    # every quick suite, only the demo subset, one seed
    python tools/run_benchmark.py benchmarks/suites/quick.py --tags demo --seeds 0
    # every entry over seeds 0, 1 and 2 (even where the suite lists fewer)
    python tools/run_benchmark.py benchmarks/suites/changedet_quick.py --seeds 0 1 2
    # some entries of one family
    python tools/run_benchmark.py benchmarks/suites/quick.py --family changedet --only student kd
    # a script for a cluster instead of running here
    python tools/run_benchmark.py benchmarks/suites/changedet.py --emit slurm --out run_cd.sh
    # after the cluster script: measure and write records from its work dirs
    python tools/run_benchmark.py benchmarks/suites/changedet.py --collect
    # what would run
    python tools/run_benchmark.py benchmarks/suites/quick.py --list
    # one run after another instead of the suites' 2 at a time (1 torch thread each)
    python tools/run_benchmark.py benchmarks/suites/quick.py --jobs 1

Then ``python tools/leaderboard.py benchmarks/results``.
"""
import argparse
import dataclasses
import os
import os.path as osp
import shlex
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

from mmengine.config import DictAction


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'must be a positive integer, got {text}')
    return value


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Run benchmark suites (mmkd_rs)')
    parser.add_argument('suites', nargs='+', help='suite files (benchmarks/suites/*.py)')
    parser.add_argument('--results-dir', default=osp.join('benchmarks', 'results'),
                        help='where result records go (default: %(default)s)')
    parser.add_argument('--work-root', default=osp.join('work_dirs', 'benchmark'),
                        help='parent of the runs\' work dirs (default: %(default)s)')
    parser.add_argument('--family', nargs='+', help='only suites of these task families')
    parser.add_argument('--only', nargs='+', help='only these entries (with the entries '
                        'whose checkpoints they load: teachers, "checkpoints")')
    parser.add_argument('--tags', nargs='+', help='only entries with one of these tags')
    parser.add_argument('--seeds', nargs='+', type=int,
                        help='run these seeds for every entry (default: each entry\'s '
                        '"seeds", else the suite\'s); teachers also run the seed their '
                        'students load')
    parser.add_argument('--force', action='store_true', help='rerun finished runs')
    parser.add_argument('--list', action='store_true', help='print the runs and exit')
    parser.add_argument('--emit', choices=['dist', 'slurm'],
                        help='write a cluster script instead of running')
    parser.add_argument('--out', help='file for --emit (default: stdout)')
    parser.add_argument('--collect', action='store_true',
                        help='make records from work dirs filled by an --emit script')
    parser.add_argument('--no-measure', action='store_true',
                        help='skip params/FLOPs/FPS/teacher-cost measurements')
    parser.add_argument('--no-generate', action='store_true',
                        help='do not generate synthetic datasets that are missing')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='extra options for every entry (key=value; they change the '
                        'config hash, so runs made without them are not reused)')
    parser.add_argument('--fps-repeat', type=int, default=20, help='timed passes for FPS')
    parser.add_argument('--jobs', type=_positive_int,
                        help='runs at the same time, of any selected suite, each once the '
                        'runs it loads have ended (default: the smallest "jobs" of the '
                        'selected suites, 2 unless a suite says otherwise; 1: one after '
                        'another); measurements are then taken while other runs train, see '
                        'benchmarks/README.md')
    parser.add_argument('--threads', type=_positive_int,
                        help='torch threads of every run instead of each suite\'s "threads" '
                        '(recorded; a finished run is reused only by runs with its thread '
                        'count: another count gives other numbers)')
    parser.add_argument('--train-cmd', help='training command prefix (default: '
                        'python tools/train.py); the config and options are appended')
    parser.add_argument('--test-cmd', help='testing command prefix (default: '
                        'python tools/test.py)')
    return parser.parse_args(argv)


def _selection(args):
    """``[(suite, entries)]`` after --family / --only / --tags, with --seeds applied.

    Raises:
        SuiteError: a selected suite names a config file that does not exist.
    """
    from mmkd_rs.benchmark.suite import check_configs, load_suites, select_entries
    suites = load_suites(args.suites)
    if args.family:
        suites = [s for s in suites if s.family in args.family]
        if not suites:
            raise ValueError(f'no suite of famil(ies) {args.family} in {args.suites}')
    if args.only:
        known = {e.name for s in suites for e in s.entries}
        unknown = sorted(set(args.only) - known)
        if unknown:
            raise ValueError(f'--only names unknown entr(ies) {unknown}; known: {sorted(known)}')
    chosen = []
    for suite in suites:
        check_configs(suite, REPO)
        suite = suite.with_seeds(args.seeds)
        if args.threads:
            suite = dataclasses.replace(suite, threads=args.threads)
        only = None
        if args.only:
            only = [n for n in args.only if n in {e.name for e in suite.entries}]
            if not only:
                continue
        entries = select_entries(suite, only, args.tags)
        for entry in entries:
            entry.cfg_options = {**entry.cfg_options, **(args.cfg_options or {})}
        if entries:
            chosen.append((suite, entries))
    if not chosen:
        raise ValueError('the filters (--family/--only/--tags) select no entry')
    return chosen


def _print_list(chosen, jobs: int):
    """Each entry's role, seeds, config and the runs whose checkpoints it loads."""
    from mmkd_rs.benchmark.suite import run_plan
    for suite, entries in chosen:
        threads = f'{suite.threads} torch thread{"s" if suite.threads > 1 else ""} per run'
        at_once = f'{jobs} runs at a time' if jobs > 1 else 'one run after another'
        print(f'{suite.name} ({suite.family}, {suite.path}; {threads}, {at_once})')
        plan = run_plan(suite, entries)
        for e in entries:
            runs = [(seed, sources) for entry, seed, sources in plan if entry is e]
            budget = f', ~{e.budget_s:.0f}s/run' if e.budget_s else ''
            note = ' [placeholder: config not written yet]' if e.placeholder and not \
                osp.isfile(osp.join(REPO, e.config)) else ''
            teacher = ''
            if e.teacher:
                teacher = f', teacher {e.teacher} ' + _seed_list(runs, e.teacher)
            print(f'  {e.name:<24} {e.role:<8} seeds {[s for s, _ in runs]}{teacher}{budget}'
                  f'{note}')
            print(f'  {"":<24} {e.config}')
            for option, source in e.checkpoints.items():
                print(f'  {"":<24} {option} <- {source} {_seed_list(runs, source)}')


def _seed_list(runs, source: str) -> str:
    """``seed 0`` / ``seeds 0,1,2``: the seeds of ``source`` that ``runs`` load."""
    used = sorted({sources[source] for _, sources in runs})
    return f'seed{"s" if len(used) > 1 else ""} ' + ','.join(map(str, used))


def main(argv=None) -> int:
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    from mmkd_rs.benchmark.emit import emit_script
    from mmkd_rs.benchmark.leaderboard import write_manifest
    from mmkd_rs.benchmark.prepare import prepare_dataset
    from mmkd_rs.benchmark.runner import BenchmarkRunner
    from mmkd_rs.benchmark.suite import SuiteError
    try:
        chosen = _selection(args)
    except (SuiteError, ValueError) as err:
        sys.stderr.write(f'run_benchmark: error: {err}\n')
        return 2
    if args.jobs is None:
        args.jobs = min((suite.jobs for suite, _ in chosen), default=1)
    if args.list:
        _print_list(chosen, args.jobs)
        return 0
    if args.emit:
        extra = sum(([f'--{k}'] + [str(v) for v in vals] for k, vals in
                     (('family', args.family), ('only', args.only), ('tags', args.tags),
                      ('seeds', args.seeds)) if vals), [])
        script = emit_script(args.emit, chosen, args.work_root, args.results_dir,
                             args.suites + extra, repo_root=REPO)
        if args.out:
            with open(args.out, 'w', encoding='utf-8') as f:
                f.write(script)
            os.chmod(args.out, 0o755)
            print(f'wrote {args.out}')
        else:
            sys.stdout.write(script)
        return 0
    runner = BenchmarkRunner(
        args.results_dir, args.work_root, repo_root=REPO, measure=not args.no_measure,
        fps_repeat=args.fps_repeat,
        train_cmd=shlex.split(args.train_cmd) if args.train_cmd else None,
        test_cmd=shlex.split(args.test_cmd) if args.test_cmd else None, jobs=args.jobs)
    # one suite after another; with --jobs > 1 every suite's manifest and dataset
    # first, then the runs of all of them together
    batches = [[one] for one in chosen] if args.jobs == 1 else [chosen]
    failed = 0
    for batch in batches:
        for suite, _ in batch:
            write_manifest(runner.results_dir, suite.manifest(REPO))
            if not args.no_generate and not args.collect:
                try:
                    prepare_dataset(suite, REPO)
                except SuiteError as err:
                    sys.stderr.write(f'run_benchmark: error: {err}\n')
                    return 2
        records = runner.run_suites(batch, force=args.force, collect=args.collect)
        failed += sum(r['status'] != 'finished' for r in records)
    print(f'done; {failed} failed run(s). Leaderboards: '
          f'python tools/leaderboard.py {args.results_dir}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
