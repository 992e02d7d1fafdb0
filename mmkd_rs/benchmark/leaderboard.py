"""Results directory -> leaderboard files and README tables.

Everything is first rendered in memory as ``{path: bytes}``; writing and the
``--check`` mode (would anything change?) then compare those bytes with the
files on disk.  For each leaderboard ``<name>`` the output folder gets
``<name>.md``, ``<name>.csv``, ``<name>.html``, ``<name>_acc_vs_flops.png``,
``<name>_acc_vs_fps.png`` and ``<name>_curves.png`` (plots only when there is
something to draw).

The suite manifest ``<results>/<suite>/suite.json`` (written by the runner)
says which runs are expected, so runs without a record show as ``missing``.
Finished records without a finite main metric are ``invalid``: listed on
the page and in :attr:`Board.invalid` (``tools/leaderboard.py --check``
fails on them).  Each page states the statistics it shows (:func:`legend`)
and the suite's power check (:func:`power_check`).
"""
import glob
import json
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .aggregate import Row, aggregate_board
from .plots import CURVE_TITLES, plot_accuracy_vs_cost, plot_seed_curves
from .readme_markers import rewrite_blocks
from .records import STATUS_FINISHED, invalid_reason, load_records, record_path
from .stats import MIN_SEEDS
from .tables import csv_table, html_table, markdown_table

__all__ = ['MANIFEST_NAME', 'STD_GOAL', 'GAP_GOAL', 'write_manifest', 'read_manifests', 'Board',
           'collect_boards', 'legend', 'power_check', 'render_board_files', 'render_readmes',
           'readme_paths', 'apply_outputs']

MANIFEST_NAME = 'suite.json'
# training curves drawn under the validation main metric, one panel each
CURVE_KEYS = tuple(CURVE_TITLES)  # loss, loss_task, loss_distill
# The benchmark's power goal: the student alone varies by at most STD_GOAL (metric units,
# e.g. F1 points) over seeds, and the teacher beats it by at least GAP_GOAL of those stds.
STD_GOAL = 1.0
GAP_GOAL = 5.0


def write_manifest(results_dir: str, manifest: dict) -> str:
    """Write ``<results_dir>/<suite>/suite.json`` (sorted keys)."""
    path = osp.join(results_dir, manifest['suite'], MANIFEST_NAME)
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write('\n')
    return path


def read_manifests(results_dir: str) -> List[dict]:
    """Every suite manifest under ``results_dir``, sorted by suite name.

    Raises:
        FileNotFoundError: a suite folder holds records but no manifest.
    """
    if not osp.isdir(results_dir):
        raise FileNotFoundError(f'results directory "{results_dir}" does not exist')
    manifests = []
    for folder in sorted(os.listdir(results_dir)):
        path = osp.join(results_dir, folder, MANIFEST_NAME)
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                manifests.append(json.load(f))
        elif glob.glob(osp.join(results_dir, folder, '*', 'seed_*.json')):
            raise FileNotFoundError(
                f'"{osp.join(results_dir, folder)}" holds result records but no {MANIFEST_NAME}; '
                'pass the suite file with --suite (or rerun tools/run_benchmark.py, which '
                'writes it)')
    return manifests


@dataclass
class Board:
    """One aggregated leaderboard."""
    definition: dict
    manifest: dict
    rows: List[Row]
    records: List[dict]
    invalid: List[Tuple[str, str]] = field(default_factory=list)  # (record file, why)

    @property
    def name(self) -> str:
        return self.definition['name']


def collect_boards(results_dir: str, manifests: Optional[List[dict]] = None) -> List[Board]:
    """Aggregate every leaderboard of every suite found in ``results_dir``."""
    manifests = read_manifests(results_dir) if manifests is None else manifests
    boards, names = [], set()
    for manifest in manifests:
        suite_dir = osp.join(results_dir, manifest['suite'])
        records = load_records(results_dir, manifest['suite']) if osp.isdir(suite_dir) else []
        for definition in manifest['leaderboards']:
            if definition['name'] in names:
                raise ValueError(f'leaderboard name {definition["name"]!r} is used by more '
                                 'than one suite; names must be unique')
            names.add(definition['name'])
            first = manifest['leaderboards'][0]['name']
            board_of = {e['name']: e.get('leaderboard') or first for e in manifest['entries']}
            entries = [e for e in manifest['entries'] if board_of[e['name']] == definition['name']]
            # records of entries no longer in the suite go to the first board
            board_records = [r for r in records
                             if board_of.get(r['entry'], first) == definition['name']]
            rows = aggregate_board(definition, entries, board_records)
            invalid = [(record_path(results_dir, manifest['suite'], r['entry'], r['seed']),
                        invalid_reason(r, definition['main_metric'])) for r in board_records]
            boards.append(Board(definition, manifest, rows, board_records,
                                sorted(i for i in invalid if i[1])))
    return boards


def legend(board: Board) -> str:
    """What the columns mean (printed under every table)."""
    main, k = board.definition['main_metric'], MIN_SEEDS
    return (f'Mean ± sample std (ddof=1) over the n valid finished seeds. Δ{main} vs student: '
            'mean of the per-seed differences to the student alone over the seeds both '
            'finished, ± the half-width of its 95 % Student t interval '
            f'(t(0.975, n-1) · sd / √n, from {k} paired seeds). The teacher row (the upper '
            f'bound) is paired the same way when it shares ≥ {k} seeds with the student, '
            'otherwise it shows the difference of means with Welch\'s interval (none while a '
            f'side has fewer than {k} seeds). vs student: better / worse when the interval '
            f'excludes 0, otherwise no detectable difference; fewer than {k} paired seeds: '
            f'needs >= {k} seeds. Rank: 1 + the number of students (alone, distilled or '
            'baseline) detectably better than this one by the same paired interval; entries '
            'sharing a rank are not separated by these seeds; no rank for the teacher or below '
            f'{k} paired seeds. Intervals are per comparison, not corrected for multiple '
            f'comparisons. A finished run without a finite {main} is invalid and not counted. '
            'Params, FLOPs (1 multiply-add = 1 FLOP, one image) and FPS (batch 1) are those of '
            'the network used at inference (the student; for the teacher row, the teacher), '
            'measured once per entry; Teacher ms/iter is the teacher\'s forward cost per '
            'training batch of a distillation run. Generated by `tools/leaderboard.py`; do not '
            'edit by hand.')


def power_check(board: Board) -> str:
    """The student alone's seed std and the teacher gap in units of it,
    against :data:`STD_GOAL` and :data:`GAP_GOAL` ('' without a student row)."""
    definition = board.definition
    main, digits = definition['main_metric'], int(definition.get('metric_digits', 2))
    student = next((r for r in board.rows if r.role == 'student'), None)
    if student is None:
        return ''
    _, std, n = student.metrics.get(main, (None, None, 0))
    goals = f'goal: std ≤ {STD_GOAL:.{digits}f} and a teacher gap ≥ {GAP_GOAL:g} std'
    if std is None:
        return (f'Power check: the student-alone {main} std needs ≥ 2 seeds (it has {n}); '
                f'{goals}.')
    met = {True: 'met', False: 'not met'}
    text = (f'Power check: student-alone {main} std {std:.{digits}f} over {n} seeds (goal ≤ '
            f'{STD_GOAL:.{digits}f}: {met[std <= STD_GOAL]})')
    teacher = next((r for r in board.rows if r.role == 'teacher' and r.delta is not None),
                   None)
    if teacher is None:
        return text + '; no teacher result for the gap.'
    gap = teacher.delta if definition.get('higher_is_better', True) else -teacher.delta
    stds = gap / std if std > 0 else float('inf')
    return (text + f'; teacher − student gap {teacher.delta:+.{digits}f} = {stds:.1f} std (goal '
            f'≥ {GAP_GOAL:g}: {met[stds >= GAP_GOAL]}).')


def _plural(n: int, word: str) -> str:
    return f'{n} {word}' + ('s' if n != 1 else '')


def threads_line(board: Board) -> str:
    """What the page says of the runs' torch threads: the thread counts of its
    finished records (``hardware.threads``, ``hardware.jobs``), and the suite's
    when the records were made with another one (they are then trained again)."""
    finished = [r for r in board.records if r['status'] == STATUS_FINISHED]
    made = sorted({(r.get('hardware') or {}).get('threads') for r in finished} - {None})
    jobs = sorted({(r.get('hardware') or {}).get('jobs', 1) for r in finished})
    suite = board.manifest.get('threads')
    if not made:
        return (f'Each run: {_plural(suite, "torch thread")}; a seed changes initialisation, '
                'data order and augmentation, the dataset stays fixed.') if suite else ''
    text = 'Each run: ' + ' or '.join(_plural(n, 'torch thread') for n in made)
    if jobs != [1]:
        text += f' ({" or ".join(str(j) for j in jobs)} runs at a time)'
    text += ('; a seed changes initialisation, data order and augmentation, the dataset '
             'stays fixed.')
    if suite and made != [suite]:
        text += (f' The suite now runs {_plural(suite, "thread")}: records made with another '
                 'count are trained again by `tools/run_benchmark.py`.')
    return text


def disturbed_line(board: Board) -> str:
    """Names the entries whose speed figures were measured while other runs
    trained (``speed.concurrent_runs`` > 0 in a finished record); '' if none."""
    names = sorted({r['entry'] for r in board.records if r['status'] == STATUS_FINISHED
                    and ((r.get('speed') or {}).get('concurrent_runs') or 0) > 0})
    if not names:
        return ''
    return ('FPS of ' + ', '.join(f'`{n}`' for n in names) + ' measured while another run '
            'trained (`speed.concurrent_runs`); the next `tools/run_benchmark.py` invocation '
            'measures them again with nothing else going.')


#: stale_line lists entries by name up to this many, then counts them
LISTED_ENTRIES = 8


def stale_line(board: Board) -> str:
    """Names the finished records made with another config than the suite now
    gives (their ``config_hash`` differs from the manifest's ``config_hashes``
    for that entry and seed: options, schedule or config files changed since);
    '' if none, or if the manifest holds no hashes."""
    expected = {e['name']: e.get('config_hashes') or {} for e in board.manifest['entries']}
    stale: Dict[str, List[int]] = {}
    finished = [r for r in board.records if r['status'] == STATUS_FINISHED]
    for record in finished:
        want = expected.get(record['entry'], {}).get(str(record['seed']))
        if want and record.get('config_hash') and record['config_hash'] != want:
            stale.setdefault(record['entry'], []).append(record['seed'])
    if not stale:
        return ''
    count = sum(len(seeds) for seeds in stale.values())
    fresh = sorted({r['entry'] for r in finished} - set(stale))
    if count == len(finished):
        which = f'All {_plural(count, "record")} of this page were'
    elif len(stale) <= LISTED_ENTRIES:
        which = (f'{_plural(count, "record")} ('
                 + '; '.join(f'`{name}` seed{"s" if len(seeds) > 1 else ""} '
                             + ', '.join(map(str, sorted(seeds)))
                             for name, seeds in sorted(stale.items())) + ') were')
    else:  # a tuning grid: name the few entries that are not stale instead
        which = f'{count} of the {len(finished)} records'
        if len(fresh) <= LISTED_ENTRIES:
            which += (' (those of every entry but ' + ', '.join(f'`{name}`' for name in fresh)
                      + ')')
        which += ' were'
    return (f'{which} made with another config than the suite now gives (its options, '
            'schedule or config files changed since): they show what that config gave, and '
            '`tools/run_benchmark.py` trains them again.')


def _markdown_page(board: Board, plots: Dict[str, bytes]) -> str:
    manifest, definition = board.manifest, board.definition
    lines = [f'# {definition.get("title", board.name)}', '',
             f'Suite `{manifest["suite"]}` (family `{manifest.get("family", "")}`).']
    dataset, evaluation = manifest.get('dataset') or {}, manifest.get('evaluation') or {}
    if dataset.get('name'):
        lines.append(f'Dataset: {dataset["name"]}.')
    if evaluation.get('protocol'):
        lines.append(f'Evaluation: {evaluation["protocol"]}.')
    threads = threads_line(board)
    if threads:
        lines.append(threads)
    disturbed = disturbed_line(board)
    if disturbed:
        lines.append(disturbed)
    stale = stale_line(board)
    if stale:
        lines.append(stale)
    power = power_check(board)
    lines += ([''] + ([power, ''] if power else []) + [legend(board), '',
              markdown_table(board.rows, definition), ''])
    lines += _settings_section(board)
    failed = [(r['entry'], r['seed'], (r.get('error') or '').strip().splitlines())
              for r in board.records if r['status'] != STATUS_FINISHED]
    if failed:
        lines += ['## Failed runs', '']
        for entry, seed, error in sorted(failed, key=lambda x: (x[0], x[1])):
            last = error[-1] if error else 'no error message'
            lines.append(f'- `{entry}` seed {seed}: {last}')
        lines.append('')
    if board.invalid:
        lines += ['## Invalid records (not counted)', '']
        # <suite>/<entry>/seed_<k>.json: the page names no folder of this machine
        lines += [f'- `{"/".join(path.replace(os.sep, "/").split("/")[-3:])}`: {why}'
                  for path, why in board.invalid]
        lines.append('')
    for file_name in sorted(plots):
        lines += [f'![{file_name}]({file_name})', '']
    return '\n'.join(lines)


_LOSS_PREFIX = 'model.distiller.distill_losses.'


def _settings_section(board: Board) -> List[str]:
    """Markdown lines listing each entry's own cfg-options (the suite-wide ones
    are in the suite file), e.g. the loss weights a tuning board chose."""
    rows = [(e['name'], e.get('options') or {}) for e in board.manifest['entries']
            if (e.get('leaderboard') or board.manifest['leaderboards'][0]['name']) ==
            board.name]
    tuning = board.manifest.get('tuning_board')
    if not tuning and not any(options for _, options in rows):
        return []
    lines = ['## Settings of the entries', '']
    if tuning:
        lines += [f'The loss weights (and temperatures) of the distillers were chosen on the '
                  f'validation split, one seed, as the best point of a fixed grid of 3-4 '
                  f'values per method: see the `{tuning}` board ([{tuning}.md]({tuning}.md)) '
                  'for the grids and their scores. An entry without settings keeps its '
                  'config\'s defaults (a method whose grid has not finished yet, or one '
                  'without a grid).', '']
    lines += ['| Entry | Settings (cfg-options) |', '|---|---|']
    for name, options in rows:
        text = ', '.join(f'`{k[len(_LOSS_PREFIX):] if k.startswith(_LOSS_PREFIX) else k}='
                         f'{v}`' for k, v in sorted(options.items())) or \
            'the suite\'s settings only'
        lines.append(f'| {name} | {text} |')
    return lines + ['']


def _curves(board: Board) -> Dict[str, List[Dict[str, list]]]:
    """``{entry: [curves of each valid finished seed]}``: the validation
    metrics at each validation and the training losses (``loss``, and in
    records that have them ``loss_task`` and ``loss_distill``)."""
    main, curves = board.definition['main_metric'], {}
    for record in sorted(board.records, key=lambda r: (r['entry'], r['seed'])):
        if (record['status'] == STATUS_FINISHED and record.get('curves')
                and not invalid_reason(record, main)):
            curves.setdefault(record['entry'], []).append(record['curves'])
    return curves


def render_board_files(board: Board, out_dir: str, with_plots: bool = True) -> Dict[str, bytes]:
    """``{path: bytes}`` of one leaderboard's files in ``out_dir``."""
    name, definition = board.name, board.definition
    plots = {}
    if with_plots:
        for cost in ('flops', 'fps'):
            png = plot_accuracy_vs_cost(board.rows, definition, cost)
            if png is not None:
                plots[f'{name}_acc_vs_{cost}.png'] = png
        png = plot_seed_curves(_curves(board), [definition['main_metric'], *CURVE_KEYS],
                               definition.get('title', name))
        if png is not None:
            plots[f'{name}_curves.png'] = png
    files = {osp.join(out_dir, f): data for f, data in plots.items()}
    files[osp.join(out_dir, f'{name}.md')] = _markdown_page(board, plots).encode('utf-8')
    files[osp.join(out_dir, f'{name}.csv')] = csv_table(board.rows, definition).encode('utf-8')
    notes = [power_check(board), legend(board)]
    files[osp.join(out_dir, f'{name}.html')] = html_table(
        board.rows, definition, [n for n in notes if n], sorted(plots)).encode('utf-8')
    return files


def readme_paths(root: str) -> List[str]:
    """``<root>/README.md`` and ``<root>/configs/*/README.md`` that exist."""
    paths = [osp.join(root, 'README.md')] + sorted(
        glob.glob(osp.join(root, 'configs', '*', 'README.md')))
    return [p for p in paths if osp.isfile(p)]


def _filtered(rows: List[Row], method: Optional[str]) -> List[Row]:
    if method is None:
        return rows
    return [r for r in rows if r.method == method or r.role in ('teacher', 'student')]


def render_readmes(boards: List[Board], paths: List[str], known: Optional[set] = None):
    """``({path: bytes} of READMEs whose marked blocks change, [warnings])``.

    Files without markers are never in the result; blocks naming a
    leaderboard not in ``boards`` are left as they are, with a warning unless
    the name is in ``known`` (a board some suite defines, whose records are
    not at hand, as on a fresh clone).
    """
    by_name = {b.name: b for b in boards}
    for board in boards:
        for alias in board.definition.get('aliases') or []:
            by_name.setdefault(alias, board)
    changed, warnings = {}, []

    def render(name, method):
        board = by_name.get(name)
        if board is None:
            return None
        rows = _filtered(board.rows, method)
        notes = [n for n in (power_check(board), legend(board)) if n]
        return markdown_table(rows, board.definition) + '\n\n' + '\n\n'.join(notes)

    for path in paths:
        with open(path, encoding='utf-8') as f:
            text = f.read()
        new_text, skipped = rewrite_blocks(text, render, source=path)
        warnings += [f'{path}: block "{key}" names no leaderboard in these results or in '
                     'any suite; left as it is' for key in skipped
                     if key.split('@')[0] not in (known or set())]
        if new_text != text:
            changed[path] = new_text.encode('utf-8')
    return changed, warnings


def apply_outputs(outputs: Dict[str, bytes], check: bool = False) -> List[str]:
    """Write files whose bytes differ (or, with ``check``, only list them).

    Returns:
        Paths that differ from what is on disk (sorted).
    """
    differ = []
    for path in sorted(outputs):
        data = outputs[path]
        if osp.isfile(path):
            with open(path, 'rb') as f:
                if f.read() == data:
                    continue
        differ.append(path)
        if not check:
            os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)
    return differ
