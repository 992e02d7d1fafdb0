"""Benchmark suites: which configs run, with which seeds, on which data.

A suite is a Python file under ``benchmarks/suites/`` read with mmengine's
:class:`~mmengine.config.Config` (so ``_base_`` inheritance works).  Keys::

    suite = 'changedet-quick'        # name; records go to <results>/<suite>/
    family = 'changedet'             # task family, for --family
    seeds = [0, 1, 2]                # default seeds of every entry
    threads = 2                      # torch threads of every run (default 2)
    teacher_seed = None              # None: fixed teacher; 'same': seed by seed
    dataset = dict(name=..., data_root=...,
                   generate=dict(func='pkg.module.function', kwargs=dict(...)))
    evaluation = dict(split='test', protocol='...',    # documented protocol
                      input_shape=(256, 256))          # (H, W) of params/FLOPs/FPS;
                                                       # default: the config's crop
    cfg_options = {...}              # --cfg-options given to every entry
    tuning_board = 'changedet-tuning'  # the board whose val-split grid chose the
                                       # entries' loss weights (named on the page)
    leaderboards = [dict(name=..., title=..., main_metric='F1',
                         metrics=['F1', 'IoU'], higher_is_better=True,
                         metric_digits=2, aliases=[])]
    entries = [dict(name=..., role='teacher'|'student'|'distill'|'baseline', method=...,
                    config='configs/...py', seeds=None, teacher=None,
                    teacher_seed=None, teacher_ckpt_option='model.teacher_ckpt',
                    checkpoints={}, cfg_options={},
                    leaderboard=None, tags=[], budget_s=None, placeholder=False,
                    input=None)]

A collection file lists other suite files instead: ``suites = ['a.py', ...]``
(paths relative to the collection file).

Seeds: an entry runs its own ``seeds``, else the suite's ``seeds``;
``tools/run_benchmark.py --seeds`` replaces them for every entry
(:meth:`Suite.with_seeds`).  A seed changes model initialisation, data
order and augmentation; the dataset stays fixed.  ``threads`` pins the
torch threads of every run (``OMP_NUM_THREADS`` / ``MKL_NUM_THREADS``):
same seed, machine and thread count give the same metrics, bit for bit, with
one thread (default).  With more, oneDNN's convolution weight gradients can
differ in the last bits between two processes, and a run then drifts away
from its repeat.  ``jobs`` (default 2: the reference machine's 2 cores, one
single-thread run each) is how many runs ``tools/run_benchmark.py`` starts at
once unless ``--jobs`` says otherwise.

An entry with ``role='distill'`` names the ``teacher`` entry whose checkpoint
it loads (through the ``teacher_ckpt_option`` cfg-option).  Which teacher
run (``teacher_seed``, per entry or suite-wide):

* default (None): one fixed teacher, the teacher's first seed as the suite
  file lists it, for every student seed: seed-paired comparisons then
  differ only in the student's own randomness;
* ``'same'``: the teacher run of the student's seed when the teacher runs
  that seed, otherwise the teacher's first seed;
* an int: that teacher seed.

The runner adds the teacher seeds a selection needs (:func:`run_plan`).  A ``baseline``
entry (another way to train the student) may name a teacher the same way,
e.g. ``teacher_ckpt_option='load_from'`` to start from its weights.

``checkpoints`` passes the checkpoints of several other entries, each
through its own cfg-option: ``{'<cfg-option>': '<entry name>', ...}``, e.g.
MTKD's three partition teachers and the student's starting point::

    checkpoints={'model.teachers.small.ckpt': 'mtkd-teacher-small', ...,
                 'model.student.init_cfg.checkpoint': 'student'}

The named entries may have any role; ``teacher='t'`` is the one-item mapping
``{teacher_ckpt_option: 't'}`` (both keys may be given, with different
options).  Each checkpoint comes from the named entry's run chosen by the
same ``teacher_seed`` rule (default: that entry's own first seed), the
named entries run first (and run the seeds their dependents load), and the
record stores ``checkpoint_sha256 = {option: sha256}``: a finished record is
reused only while every one of them is unchanged.  ``placeholder=True``
marks an entry whose config may not be written yet: while the file does not
exist the entry is listed (and shows as ``missing`` in leaderboards) but not
run; once it exists it runs like any other entry.

``input`` names the input modality of an entry that does not see what the
student alone sees (``input='eo'`` for the EO-input teachers of the SAR
boards; default None: the student's input). It only changes how the entry is
drawn (a hollow reference point, "(EO input)", off the Pareto front); like
every entry key other than ``cfg_options`` it changes no config hash.
"""
import copy
import glob
import os.path as osp
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Tuple, Union

from mmengine.config import Config

from .commands import flatten_options
from .provenance import config_hash
from .records import ROLES

__all__ = ['SuiteError', 'SAME_SEED', 'DEFAULT_THREADS', 'DEFAULT_JOBS', 'Entry', 'Leaderboard',
           'Suite', 'load_suites', 'load_suite', 'select_entries', 'check_configs', 'override_seeds',
           'teacher_seed_of', 'checkpoint_seed_of', 'run_plan', 'run_options', 'run_config_hashes']

SAME_SEED = 'same'  # teacher_seed: the teacher run of the student's own seed
DEFAULT_THREADS = 1
DEFAULT_JOBS = 2


class SuiteError(ValueError):
    """A suite file is malformed; the message names the file and key."""


@dataclass
class Leaderboard:
    """One table: which entries, which metrics, sorted by ``main_metric``."""
    name: str
    title: str
    main_metric: str
    metrics: List[str]
    higher_is_better: bool = True
    metric_digits: int = 2
    aliases: List[str] = field(default_factory=list)  # other names README markers may use


@dataclass
class Entry:
    """One configuration of a suite, run once per seed."""
    name: str
    role: str
    method: str
    config: str
    seeds: List[int]
    leaderboard: str
    teacher: Optional[str] = None
    teacher_seed: Union[int, str, None] = None  # int, or SAME_SEED (resolved per run)
    teacher_ckpt_option: str = 'model.teacher_ckpt'
    checkpoints: Dict[str, str] = field(default_factory=dict)  # cfg-option -> entry name
    cfg_options: Dict = field(default_factory=dict)
    tags: List[str] = field(default_factory=list)
    budget_s: Optional[float] = None
    placeholder: bool = False
    input: Optional[str] = None  # input modality when not the student's, e.g. 'eo'
    # resolved from the suite file, not a suite key: entry name -> the seed a fixed
    # teacher_seed (None) loads, i.e. that entry's first seed as the file lists it
    fixed_seeds: Dict[str, int] = field(default_factory=dict, repr=False)

    def checkpoint_sources(self) -> Dict[str, str]:
        """``{cfg-option: entry name}`` of every checkpoint this entry loads
        (the ``teacher`` under ``teacher_ckpt_option``, then ``checkpoints``)."""
        sources = {self.teacher_ckpt_option: self.teacher} if self.teacher else {}
        sources.update(self.checkpoints)
        return sources

    def dependencies(self) -> List[str]:
        """Names of the entries whose checkpoints this entry loads, in order."""
        return list(dict.fromkeys(self.checkpoint_sources().values()))


def run_options(entry: Entry, seed: int) -> dict:
    """cfg-options of a run without the checkpoint paths it loads (flat keys)."""
    options = flatten_options(entry.cfg_options)
    options['randomness.seed'] = int(seed)
    return options


def run_config_hashes(entry: Entry, repo_root: str = '') -> Dict[str, str]:
    """``{str(seed): config hash}`` of the entry's runs, the hash the runner
    writes into their records (:func:`~.provenance.config_hash` of the config
    with :func:`run_options`); ``{}`` for a placeholder or a config file that is
    not there (the runner reports a missing config when it runs the entry)."""
    path = osp.join(repo_root, entry.config)
    if entry.placeholder or not osp.isfile(path):
        return {}
    return {str(seed): config_hash(path, run_options(entry, seed)) for seed in entry.seeds}


_INTERNAL_FIELDS = {'fixed_seeds'}  # Entry fields that are not suite keys


@dataclass
class Suite:
    """A parsed suite file."""
    name: str
    family: str
    path: str
    entries: List[Entry]
    leaderboards: List[Leaderboard]
    dataset: Dict = field(default_factory=dict)
    evaluation: Dict = field(default_factory=dict)
    threads: int = DEFAULT_THREADS
    jobs: int = DEFAULT_JOBS
    tuning_board: Optional[str] = None
    cfg_options: Dict = field(default_factory=dict)  # the suite-wide ones (flat keys)

    def with_seeds(self, seeds: Optional[List[int]]) -> 'Suite':
        """A copy whose every entry runs ``seeds`` (:func:`override_seeds`)."""
        return replace(self, entries=override_seeds(self.entries, seeds))

    def entry(self, name: str) -> Entry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise KeyError(f'suite {self.name!r} ({self.path}) has no entry {name!r}; '
                       f'entries: {[e.name for e in self.entries]}')

    def leaderboard(self, name: str) -> Leaderboard:
        for board in self.leaderboards:
            if board.name == name:
                return board
        raise KeyError(f'suite {self.name!r} has no leaderboard {name!r}')

    def manifest(self, repo_root: str = '') -> dict:
        """JSON-ready summary the leaderboard tool uses to list missing runs and
        to name records made with another config than the suite now gives
        (``config_hashes``; configs are read relative to ``repo_root``)."""
        return dict(
            suite=self.name, family=self.family, dataset=self.dataset,
            evaluation=self.evaluation, threads=self.threads,
            tuning_board=self.tuning_board,
            leaderboards=[vars(b) for b in self.leaderboards],
            entries=[dict(name=e.name, role=e.role, method=e.method, config=e.config,
                          seeds=list(e.seeds), leaderboard=e.leaderboard,
                          teacher=e.teacher, checkpoints=dict(e.checkpoints),
                          placeholder=e.placeholder, input=e.input,
                          options=self.entry_options(e),
                          config_hashes=run_config_hashes(e, repo_root))
                     for e in self.entries])

    def entry_options(self, entry: Entry) -> dict:
        """The entry's own cfg-options (flat keys): those the suite-wide
        ``cfg_options`` do not give with the same value."""
        shared = flatten_options(self.cfg_options)
        return {k: v for k, v in flatten_options(entry.cfg_options).items()
                if k not in shared or shared[k] != v}


def _require(d: dict, key: str, where: str):
    if key not in d:
        raise SuiteError(f'{where}: missing key "{key}"')
    return d[key]


def _parse_entry(raw: dict, index: int, suite_cfg: Config, path: str,
                 default_board: str) -> Entry:
    where = f'{path}: entries[{index}]'
    if not isinstance(raw, dict):
        raise SuiteError(f'{where}: must be a dict, got {type(raw).__name__}')
    known = set(Entry.__dataclass_fields__) - _INTERNAL_FIELDS
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SuiteError(f'{where}: unknown key(s) {unknown}; allowed: {sorted(known)}')
    name = _require(raw, 'name', where)
    role = _require(raw, 'role', where)
    if role not in ROLES:
        raise SuiteError(f'{where} ({name}): role must be one of {ROLES}, got {role!r}')
    checkpoints = raw.get('checkpoints') or {}
    if not isinstance(checkpoints, dict) or not all(
            isinstance(k, str) and k and isinstance(v, str) and v
            for k, v in checkpoints.items()):
        raise SuiteError(f'{where} ({name}): "checkpoints" must be a dict '
                         "{'<cfg-option>': '<entry name>', ...} of non-empty strings, "
                         f'got {checkpoints!r}')
    if role == 'distill' and not (raw.get('teacher') or checkpoints):
        raise SuiteError(f'{where} ({name}): a distill entry needs "teacher" (an entry name) '
                         'or "checkpoints" ({cfg-option: entry name})')
    teacher_ckpt_option = raw.get('teacher_ckpt_option', 'model.teacher_ckpt')
    if raw.get('teacher') and teacher_ckpt_option in checkpoints:
        raise SuiteError(f'{where} ({name}): "checkpoints" sets {teacher_ckpt_option!r}, the '
                         f'option that already carries the teacher {raw["teacher"]!r}; list '
                         'each cfg-option once')
    options = dict(suite_cfg.get('cfg_options', {}))
    options.update(raw.get('cfg_options') or {})
    teacher_seed = raw.get('teacher_seed', suite_cfg.get('teacher_seed'))
    if not (teacher_seed is None or teacher_seed == SAME_SEED or
            (isinstance(teacher_seed, int) and not isinstance(teacher_seed, bool))):
        raise SuiteError(f'{where} ({name}): teacher_seed must be None, an int or '
                         f'{SAME_SEED!r}, got {teacher_seed!r}')
    modality = raw.get('input')
    if modality is not None and not (isinstance(modality, str) and modality):
        raise SuiteError(f'{where} ({name}): "input" must be a non-empty string naming the '
                         f"entry's input modality (e.g. 'eo'), or None for the student's "
                         f'input, got {modality!r}')
    return Entry(
        name=name, role=role, method=raw.get('method', role),
        config=_require(raw, 'config', where),
        seeds=[int(s) for s in (raw.get('seeds') or suite_cfg.get('seeds', [0]))],
        leaderboard=raw.get('leaderboard') or default_board,
        teacher=raw.get('teacher'), teacher_seed=teacher_seed,
        teacher_ckpt_option=teacher_ckpt_option, checkpoints=dict(checkpoints),
        cfg_options=options, tags=list(raw.get('tags') or []), budget_s=raw.get('budget_s'),
        placeholder=bool(raw.get('placeholder', False)), input=modality)


def _parse_board(raw: dict, where: str) -> Leaderboard:
    main = _require(raw, 'main_metric', where)
    metrics = list(raw.get('metrics') or [main])
    if main not in metrics:
        raise SuiteError(f'{where}: main_metric {main!r} is not in its metrics {metrics}; '
                         'add it to "metrics" (the table shows and ranks by it)')
    return Leaderboard(
        name=_require(raw, 'name', where), title=raw.get('title', raw['name']),
        main_metric=main, metrics=metrics,
        higher_is_better=bool(raw.get('higher_is_better', True)),
        metric_digits=int(raw.get('metric_digits', 2)), aliases=list(raw.get('aliases') or []))


def load_suite(path: str) -> Suite:
    """Parse one suite file (not a collection)."""
    cfg = _read(path)
    name = _require(cfg, 'suite', path)
    boards = [_parse_board(raw, f'{path}: leaderboards[{i}]')
              for i, raw in enumerate(_require(cfg, 'leaderboards', path))]
    if not boards:
        raise SuiteError(f'{path}: "leaderboards" is empty')
    entries = [_parse_entry(raw, i, cfg, path, boards[0].name)
               for i, raw in enumerate(_require(cfg, 'entries', path))]
    tuning_board = cfg.get('tuning_board')
    if tuning_board is not None and not (isinstance(tuning_board, str) and tuning_board):
        raise SuiteError(f'{path}: "tuning_board" must be the name of a leaderboard, got '
                         f'{tuning_board!r}')
    threads = _positive_int(cfg, 'threads', DEFAULT_THREADS, 'torch threads of every run',
                            path)
    jobs = _positive_int(cfg, 'jobs', DEFAULT_JOBS, 'runs at the same time', path)
    suite = Suite(name=name, family=cfg.get('family', name), path=path, entries=entries,
                  leaderboards=boards, dataset=dict(cfg.get('dataset', {})),
                  evaluation=dict(cfg.get('evaluation', {})), threads=threads, jobs=jobs,
                  tuning_board=tuning_board, cfg_options=dict(cfg.get('cfg_options', {})))
    _check_references(suite)
    return suite


def _positive_int(cfg, key: str, default: int, meaning: str, path: str) -> int:
    value = cfg.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SuiteError(f'{path}: "{key}" must be a positive int ({meaning}), got {value!r}')
    return value


def _check_references(suite: Suite):
    names = [e.name for e in suite.entries]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SuiteError(f'{suite.path}: duplicate entry name(s) {dupes}')
    boards = {b.name for b in suite.leaderboards}
    for entry in suite.entries:
        if entry.leaderboard not in boards:
            raise SuiteError(f'{suite.path}: entry {entry.name!r} names leaderboard '
                             f'{entry.leaderboard!r}; defined: {sorted(boards)}')
        if entry.teacher is not None:
            if entry.teacher not in names:
                raise SuiteError(f'{suite.path}: entry {entry.name!r} names teacher '
                                 f'{entry.teacher!r}, which is not an entry of the suite')
            teacher = suite.entry(entry.teacher)
            if teacher.role != 'teacher':
                raise SuiteError(f'{suite.path}: entry {entry.name!r} names '
                                 f'{entry.teacher!r} as teacher, but its role is '
                                 f'{teacher.role!r}')
        for option, source in entry.checkpoints.items():
            if source not in names or source == entry.name:
                raise SuiteError(f'{suite.path}: entry {entry.name!r} key "checkpoints" maps '
                                 f'{option!r} to {source!r}, which is not another entry of '
                                 f'the suite; entries: {names}')
        for source in entry.dependencies():
            seeds = suite.entry(source).seeds
            entry.fixed_seeds[source] = seeds[0]  # fixed: its first seed in the suite file
            if isinstance(entry.teacher_seed, int) and entry.teacher_seed not in seeds:
                raise SuiteError(f'{suite.path}: entry {entry.name!r} wants teacher seed '
                                 f'{entry.teacher_seed}, but {source!r} runs seeds {seeds}')
    _check_acyclic(suite)


def _check_acyclic(suite: Suite):
    """Refuse entries that load their own checkpoint through a chain of others."""
    state = {}  # name -> 'open' while visited, 'done' after

    def visit(name: str, chain: List[str]):
        if state.get(name) == 'done':
            return
        if state.get(name) == 'open':
            loop = chain[chain.index(name):] + [name]
            raise SuiteError(f'{suite.path}: entries load each other\'s checkpoints in a '
                             f'loop ({" -> ".join(loop)}); no order can run them')
        state[name] = 'open'
        for source in suite.entry(name).dependencies():
            visit(source, chain + [name])
        state[name] = 'done'

    for entry in suite.entries:
        visit(entry.name, [])


def _read(path: str) -> Config:
    if not osp.isfile(path):
        raise SuiteError(f'suite file "{path}" does not exist')
    try:
        return Config.fromfile(path)
    except Exception as err:
        raise SuiteError(f'suite file "{path}" could not be read: {err}') from err


def load_suites(paths: List[str]) -> List[Suite]:
    """Parse suite files and collections (``suites = [...]``), in order."""
    suites = []
    for path in paths:
        cfg = _read(path)
        if 'suites' in cfg:
            here = osp.dirname(path)
            suites += load_suites([osp.join(here, p) for p in cfg.suites])
        else:
            suites.append(load_suite(path))
    seen = [s.name for s in suites]
    dupes = sorted({n for n in seen if seen.count(n) > 1})
    if dupes:
        raise SuiteError(f'suite name(s) {dupes} defined more than once in {paths}')
    return suites


def select_entries(suite: Suite, only: Optional[List[str]] = None,
                   tags: Optional[List[str]] = None) -> List[Entry]:
    """Entries named in ``only`` (all when None) carrying one of ``tags``,
    plus the entries whose checkpoints they load (teachers and
    ``checkpoints``, transitively), in suite order."""
    if only:
        unknown = sorted(set(only) - {e.name for e in suite.entries})
        if unknown:
            raise SuiteError(f'--only names unknown entr(ies) {unknown} of suite '
                             f'{suite.name!r}; entries: {[e.name for e in suite.entries]}')
    chosen = {e.name for e in suite.entries
              if (not only or e.name in only) and (not tags or set(tags) & set(e.tags))}
    todo = list(chosen)
    while todo:
        for source in suite.entry(todo.pop()).dependencies():
            if source not in chosen:
                chosen.add(source)
                todo.append(source)
    return [copy.copy(e) for e in suite.entries if e.name in chosen]


def check_configs(suite: Suite, repo_root: str = '.'):
    """Raise :class:`SuiteError` naming every non-placeholder entry whose
    config file does not exist under ``repo_root``."""
    absent = [e for e in suite.entries
              if not e.placeholder and not osp.isfile(osp.join(repo_root, e.config))]
    if absent:
        listed = '; '.join(f'{e.name!r}: {e.config}' for e in absent)
        raise SuiteError(f'{suite.path}: entr(ies) point at config files that do not exist '
                         f'(paths are relative to the repository root {repo_root}): {listed}. '
                         'Fix the path, write the config, or mark the entry placeholder=True.')


def override_seeds(entries: List[Entry], seeds: Optional[List[int]]) -> List[Entry]:
    """Copies of ``entries`` that all run ``seeds`` (as given when None or empty).

    Fixed teacher seeds stay as resolved from the suite file.
    """
    if not seeds:
        return list(entries)
    return [replace(e, seeds=[int(s) for s in seeds]) for e in entries]


def checkpoint_seed_of(entry: Entry, source: str, seed: int, source_seeds: List[int]) -> int:
    """The seed of entry ``source`` whose checkpoint run ``(entry, seed)`` loads.

    ``teacher_seed`` of ``entry``: ``'same'`` gives ``seed`` when ``source``
    runs it (``source_seeds``), else its first seed; an int gives that seed;
    None gives ``source``'s first seed as the suite file lists it.
    """
    if entry.teacher_seed == SAME_SEED:
        return seed if seed in source_seeds else source_seeds[0]
    if entry.teacher_seed is not None:
        return entry.teacher_seed
    return entry.fixed_seeds.get(source, source_seeds[0])


def teacher_seed_of(entry: Entry, seed: int, teacher_seeds: List[int]) -> Optional[int]:
    """The teacher seed run ``(entry, seed)`` loads (None without a teacher)."""
    if not entry.teacher:
        return None
    return checkpoint_seed_of(entry, entry.teacher, seed, teacher_seeds)


def _dependency_order(suite: Suite, entries: List[Entry]) -> List[Entry]:
    """``entries`` with teachers first, then in suite order, except that an
    entry comes after every selected entry whose checkpoint it loads."""
    by_name = {e.name: e for e in entries}
    ordered, done = [], set()

    def add(entry: Entry):
        if entry.name in done:
            return
        done.add(entry.name)  # acyclic: load_suite refuses loops
        for source in entry.dependencies():
            if source in by_name:
                add(by_name[source])
        ordered.append(entry)

    for entry in sorted(entries, key=lambda e: e.role != 'teacher'):
        add(entry)
    return ordered


def run_plan(suite: Suite, entries: List[Entry]) -> List[Tuple[Entry, int, Dict[str, int]]]:
    """``(entry, seed, {source entry: seed})`` of every run of ``entries``,
    each entry after the entries whose checkpoints it loads.

    Each entry runs its ``seeds``; an entry whose checkpoint others load also
    runs the seeds they load (:func:`checkpoint_seed_of`), so those exist.
    """
    by_name = {e.name: e for e in entries}
    order = _dependency_order(suite, entries)
    runs, needed = {}, {}
    for entry in reversed(order):  # dependents before the entries they load
        runs[entry.name] = sorted(set(entry.seeds) | needed.get(entry.name, set()))
        for source in entry.dependencies():
            seeds = (by_name.get(source) or suite.entry(source)).seeds
            needed.setdefault(source, set()).update(
                checkpoint_seed_of(entry, source, s, seeds) for s in runs[entry.name])
    plan = []
    for entry in order:
        sources = {name: (by_name.get(name) or suite.entry(name)).seeds
                   for name in entry.dependencies()}
        for seed in runs[entry.name]:
            plan.append((entry, seed, {name: checkpoint_seed_of(entry, name, seed, seeds)
                                       for name, seeds in sources.items()}))
    return plan


def leaderboard_names(suite_dir: str) -> set:
    """Names (and aliases) of every leaderboard the suite files of ``suite_dir``
    define: the boards a README block may name although no record of them is
    at hand (e.g. on a fresh clone)."""
    names = set()
    for path in sorted(glob.glob(osp.join(suite_dir, '*.py'))):
        if 'suites' in _read(path):        # a collection: its suites are files here too
            continue
        for board in load_suite(path).leaderboards:
            names.update([board.name, *board.aliases])
    return names
