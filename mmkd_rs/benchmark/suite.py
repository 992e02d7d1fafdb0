"""Benchmark suites: which configs run, with which seeds, on which data.

A suite is a Python file under ``benchmarks/suites/`` read with mmengine's
:class:`~mmengine.config.Config` (so ``_base_`` inheritance works).  Keys::

    suite = 'changedet-quick'        # name; records go to <results>/<suite>/
    family = 'changedet'             # task family, for --family
    seeds = [0, 1, 2]                # default seeds of every entry
    dataset = dict(name=..., data_root=...,
                   generate=dict(func='pkg.module.function', kwargs=dict(...)))
    evaluation = dict(split='test', protocol='...',    # documented protocol
                      input_shape=(256, 256))          # (H, W) of params/FLOPs/FPS;
                                                       # default: the config's crop
    cfg_options = {...}              # --cfg-options given to every entry
    leaderboards = [dict(name=..., title=..., main_metric='F1',
                         metrics=['F1', 'IoU'], higher_is_better=True,
                         metric_digits=2, aliases=[])]
    entries = [dict(name=..., role='teacher'|'student'|'distill'|'baseline', method=...,
                    config='configs/...py', seeds=None, teacher=None,
                    teacher_ckpt_option='model.teacher_ckpt', cfg_options={},
                    leaderboard=None, tags=[], budget_s=None, placeholder=False)]

A collection file lists other suite files instead: ``suites = ['a.py', ...]``
(paths relative to the collection file).

An entry with ``role='distill'`` names the ``teacher`` entry whose checkpoint
it loads (through the ``teacher_ckpt_option`` cfg-option, seed
``teacher_seed``, by default the teacher's first seed).  A ``baseline``
entry (another way to train the student) may name a teacher the same way,
e.g. ``teacher_ckpt_option='load_from'`` to start from its weights.  ``placeholder=True``
marks an entry whose config may not be written yet: while the file does not
exist the entry is listed (and shows as ``missing`` in leaderboards) but not
run; once it exists it runs like any other entry.
"""
import copy
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from mmengine.config import Config

from .records import ROLES

__all__ = ['SuiteError', 'Entry', 'Leaderboard', 'Suite', 'load_suites', 'load_suite',
           'select_entries']


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
    teacher_seed: Optional[int] = None
    teacher_ckpt_option: str = 'model.teacher_ckpt'
    cfg_options: Dict = field(default_factory=dict)
    tags: List[str] = field(default_factory=list)
    budget_s: Optional[float] = None
    placeholder: bool = False


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

    def manifest(self) -> dict:
        """JSON-ready summary the leaderboard tool uses to list missing runs."""
        return dict(
            suite=self.name, family=self.family, dataset=self.dataset,
            evaluation=self.evaluation,
            leaderboards=[vars(b) for b in self.leaderboards],
            entries=[dict(name=e.name, role=e.role, method=e.method, config=e.config,
                          seeds=list(e.seeds), leaderboard=e.leaderboard,
                          teacher=e.teacher, placeholder=e.placeholder)
                     for e in self.entries])


def _require(d: dict, key: str, where: str):
    if key not in d:
        raise SuiteError(f'{where}: missing key "{key}"')
    return d[key]


def _parse_entry(raw: dict, index: int, suite_cfg: Config, path: str,
                 default_board: str) -> Entry:
    where = f'{path}: entries[{index}]'
    if not isinstance(raw, dict):
        raise SuiteError(f'{where}: must be a dict, got {type(raw).__name__}')
    known = set(Entry.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SuiteError(f'{where}: unknown key(s) {unknown}; allowed: {sorted(known)}')
    name = _require(raw, 'name', where)
    role = _require(raw, 'role', where)
    if role not in ROLES:
        raise SuiteError(f'{where} ({name}): role must be one of {ROLES}, got {role!r}')
    if role == 'distill' and not raw.get('teacher'):
        raise SuiteError(f'{where} ({name}): a distill entry needs "teacher" (an entry name)')
    options = dict(suite_cfg.get('cfg_options', {}))
    options.update(raw.get('cfg_options') or {})
    return Entry(
        name=name, role=role, method=raw.get('method', role),
        config=_require(raw, 'config', where),
        seeds=[int(s) for s in (raw.get('seeds') or suite_cfg.get('seeds', [0]))],
        leaderboard=raw.get('leaderboard') or default_board,
        teacher=raw.get('teacher'), teacher_seed=raw.get('teacher_seed'),
        teacher_ckpt_option=raw.get('teacher_ckpt_option', 'model.teacher_ckpt'),
        cfg_options=options, tags=list(raw.get('tags') or []), budget_s=raw.get('budget_s'),
        placeholder=bool(raw.get('placeholder', False)))


def load_suite(path: str) -> Suite:
    """Parse one suite file (not a collection)."""
    cfg = _read(path)
    name = _require(cfg, 'suite', path)
    boards = []
    for i, raw in enumerate(_require(cfg, 'leaderboards', path)):
        where = f'{path}: leaderboards[{i}]'
        boards.append(Leaderboard(
            name=_require(raw, 'name', where), title=raw.get('title', raw['name']),
            main_metric=_require(raw, 'main_metric', where),
            metrics=list(raw.get('metrics') or [raw['main_metric']]),
            higher_is_better=bool(raw.get('higher_is_better', True)),
            metric_digits=int(raw.get('metric_digits', 2)),
            aliases=list(raw.get('aliases') or [])))
    if not boards:
        raise SuiteError(f'{path}: "leaderboards" is empty')
    entries = [_parse_entry(raw, i, cfg, path, boards[0].name)
               for i, raw in enumerate(_require(cfg, 'entries', path))]
    suite = Suite(name=name, family=cfg.get('family', name), path=path, entries=entries,
                  leaderboards=boards, dataset=dict(cfg.get('dataset', {})),
                  evaluation=dict(cfg.get('evaluation', {})))
    _check_references(suite)
    return suite


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
        if entry.teacher is None:
            continue
        if entry.teacher not in names:
            raise SuiteError(f'{suite.path}: entry {entry.name!r} names teacher '
                             f'{entry.teacher!r}, which is not an entry of the suite')
        teacher = suite.entry(entry.teacher)
        if teacher.role != 'teacher':
            raise SuiteError(f'{suite.path}: entry {entry.name!r} names {entry.teacher!r} '
                             f'as teacher, but its role is {teacher.role!r}')
        if entry.teacher_seed is None:
            entry.teacher_seed = teacher.seeds[0]
        elif entry.teacher_seed not in teacher.seeds:
            raise SuiteError(f'{suite.path}: entry {entry.name!r} wants teacher seed '
                             f'{entry.teacher_seed}, but {entry.teacher!r} runs seeds '
                             f'{teacher.seeds}')


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
    plus the teachers they depend on, in suite order."""
    if only:
        unknown = sorted(set(only) - {e.name for e in suite.entries})
        if unknown:
            raise SuiteError(f'--only names unknown entr(ies) {unknown} of suite '
                             f'{suite.name!r}; entries: {[e.name for e in suite.entries]}')
    chosen = {e.name for e in suite.entries
              if (not only or e.name in only) and (not tags or set(tags) & set(e.tags))}
    chosen |= {e.teacher for e in suite.entries if e.name in chosen and e.teacher}
    return [copy.copy(e) for e in suite.entries if e.name in chosen]
