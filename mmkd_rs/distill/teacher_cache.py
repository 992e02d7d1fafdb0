"""Teacher-output caching that stays correct under random augmentation.

Running a frozen teacher every iteration repeats work: its output only
depends on the (augmented) input. A cache may skip the teacher only when it
knows which augmentation the sample went through. Each transform class
declares that (:mod:`mmkd_rs.datasets.transforms.replay`): deterministic,
random with its draw recorded under ``replay_keys`` (and, for geometry, the
``replay_op`` that re-applies it: flip, crop, rot90 or an operation a plugin
registers in ``REPLAY_OPS``), or random and not recorded. The cache reads these declarations from the classes the training
pipeline's ``type`` names resolve to in the TRANSFORMS registry, and refuses
at build time, naming each transform, a pipeline it cannot follow:

* a random transform that records nothing (photometric jitter, arbitrary
  rotation, mmseg's ``RandomCrop``, ...) or declares nothing;
* in ``'replay'`` mode, a recorded draw no tensor operation re-applies
  (``BiTemporalSwap``);
* a ``replay_op`` that is not registered, or reads keys the transform does
  not record;
* a packing transform whose ``meta_keys`` drop ``sample_idx`` or a recorded
  key.

Two modes:

``'exact'``
    key = (sample index, recorded draws, padded size); a hit returns the
    teacher's output for exactly that input. On the same batch it is
    bit-identical to running the teacher; in another batch composition it
    equals it up to the backend's batched-kernel rounding. Pays off when the
    augmentation space is small (flips, rot90, date swap, a crop no smaller
    than the tile); with random crops of larger images keys almost never
    repeat: a warning says so at build time, and again at run time when
    fewer than 5 % of the sample lookups hit after 10 passes over the data.
``'replay'``
    key = sample index; the cache holds the teacher's output on the
    un-augmented, unpadded sample (stored when a sample arrives with identity
    geometry, or up front by ``TeacherStudentDistill.run_teachers`` over a
    loader without random transforms, inside
    :meth:`TeacherOutputCache.unaugmented`) and re-applies the recorded
    crop / flip / rot90 to it. The result is the teacher's un-augmented
    prediction carried into the augmented frame, not the teacher's output on
    the augmented input: they agree only for an equivariant teacher (and, for
    crops, away from the crop border). A crop off the output grid, or a padded
    sample, misses. Geometry is assumed to act on the image as loaded
    (``ori_shape``; no resize before it).

Bounded: entries are evicted least-recently-used beyond ``max_mb`` megabytes
(default 1024) or ``max_items`` entries. The batch hit rate (teacher forwards
skipped / lookups) goes to the message hub as ``train/teacher_cache_hit_rate``
(printed with the training log), and every ``log_interval`` lookups a line
gives hits, entries, memory and evictions.

The cache lives in process memory only and holds only tensors (contiguous CPU
copies), keyed by tuples of ints, bools and strings: nothing is written to
disk, pickled or unpickled.

Stored tensors are split per sample along the batch axis; a tensor with
``k * B`` rows (e.g. both dates stacked by a siamese encoder) is split into
the rows ``i, i + B, ...`` of sample ``i``.
"""
import inspect
import logging
from collections import OrderedDict
from contextlib import contextmanager
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.logging import MessageHub, print_log
from torch import Tensor

from mmkd_rs.datasets.transforms.replay import ReplayOp, ReplaySpec, replay_op, replay_spec
from mmkd_rs.registry import REPLAY_OPS, TRANSFORMS

MODES = ('exact', 'replay')
HIT_RATE_KEY = 'train/teacher_cache_hit_rate'
# warn once when, after this many passes over the samples seen, fewer than
# this share of the sample lookups hit
USELESS_AFTER_PASSES, USELESS_HIT_RATE = 10, 0.05


class TeacherCacheRefused(ValueError):
    """The pipeline has random transforms a cache cannot follow."""


class Step(NamedTuple):
    """A random, recorded transform of the pipeline (``op``: its replay op)."""
    index: int
    kind: str
    spec: ReplaySpec
    op: Optional[ReplayOp] = None


def _resolve(transform) -> Tuple[str, Optional[type]]:
    """``(type name, class)`` of a pipeline entry (config dict or built transform)."""
    if not isinstance(transform, dict):
        return type(transform).__name__, type(transform)
    kind = transform['type']
    if isinstance(kind, type):
        return kind.__name__, kind
    return kind, TRANSFORMS.get(kind)


def _meta_keys(transform, cls: type) -> Optional[tuple]:
    """The ``meta_keys`` a packing transform keeps; None for other transforms."""
    if not isinstance(transform, dict):
        keys = getattr(transform, 'meta_keys', None)
        return None if keys is None else tuple(keys)
    if 'meta_keys' in transform:
        return tuple(transform['meta_keys'])
    param = inspect.signature(cls.__init__).parameters.get('meta_keys')
    if param is None or param.default is inspect.Parameter.empty:
        return None
    return tuple(param.default)


def check_pipeline(pipeline: Sequence, mode: str = 'exact') -> List[Step]:
    """Validate a training pipeline; return its random, recorded steps in order.

    Raises:
        TeacherCacheRefused: naming every transform the cache cannot follow.
    """
    steps, refused, packer = [], [], None
    for i, transform in enumerate(pipeline):
        kind, cls = _resolve(transform)
        where = f'  pipeline[{i}] {kind}: '
        spec = replay_spec(cls) if cls is not None else None
        if cls is None:
            refused.append(where + 'not a registered transform')
            continue
        if spec is None:
            refused.append(where + 'declares nothing about its randomness (set replay_keys '
                           'on the class: () when deterministic, else the results keys '
                           'recording its draw)')
        elif spec.keys is None:
            refused.append(where + (spec.note or 'random and not recorded'))
        elif spec.keys and mode == 'replay' and spec.op is None:
            refused.append(where + f'records {list(spec.keys)} but no tensor operation '
                           "re-applies it to outputs (mode='exact' keys on it)")
        elif spec.keys:
            op = replay_op(spec.op) if spec.op is not None else None
            if spec.op is not None and op is None:
                refused.append(where + f'its replay_op {spec.op!r} is not registered in '
                               'REPLAY_OPS (registered: '
                               f'{sorted(REPLAY_OPS.module_dict)})')
            elif op is not None and not set(op.keys) <= set(spec.keys):
                refused.append(where + f'records {list(spec.keys)} but its replay_op '
                               f'{spec.op!r} reads {list(op.keys)}')
            else:
                steps.append(Step(i, kind, spec, op))
        meta_keys = _meta_keys(transform, cls)
        if meta_keys is not None:
            packer = (i, kind, meta_keys)
    if packer is not None:
        needed = dict.fromkeys(('sample_idx', ) + tuple(k for s in steps for k in s.spec.keys))
        missing = [k for k in needed if k not in packer[2]]
        if missing:
            refused.append(f'  pipeline[{packer[0]}] {packer[1]}: its meta_keys drop '
                           f'{missing}, which the cache reads from the data sample metainfo '
                           '(add them to meta_keys)')
    if refused:
        raise TeacherCacheRefused(
            f"Teacher-output caching (mode={mode!r}) refused: cached teacher outputs could "
            'not be matched to the augmented inputs because of\n' + '\n'.join(refused) +
            '\nChange these transforms in the training pipeline or remove teacher_cache '
            '(the teacher then runs every iteration).')
    return steps


def _plain(key: str, value):
    """A recorded value as a hashable tuple / int / float / bool / str / None."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_plain(key, v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f'teacher cache: recorded {key!r} is a {type(value).__name__}; '
                    'expected numbers, strings or tuples of them')


def _get(meta: dict, key: str, step: Step):
    if key not in meta:
        raise KeyError(f"teacher cache: {step.kind} (pipeline[{step.index}]) records {key!r}, "
                       'but the data sample metainfo has no such key; the packing '
                       "transform's meta_keys must keep it.")
    return meta[key]


def recorded(meta: dict, steps: Sequence[Step],
             unaugmented: bool = False) -> Tuple[tuple, tuple]:
    """``(geometry ops, other draws)`` of one sample, identity ops left out.

    Ops are ``(replay op name, parameter)`` in pipeline order, e.g.
    ``('flip', direction)``, ``('crop', (y1, y2, x1, x2))``, ``('rot90', k)``;
    a crop covering the whole image (of ``ori_shape``, turned by earlier
    rot90) is an identity. A step whose keys are missing raises ``KeyError``,
    unless ``unaugmented`` (the sample comes from a pipeline without that
    transform: an identity draw).
    """
    hw = tuple(int(v) for v in meta['ori_shape'][:2]) if 'ori_shape' in meta else None
    ops, other = [], []
    for step in steps:
        if unaugmented and not any(k in meta for k in step.spec.keys):
            continue
        if step.op is None:
            other.append(tuple(_plain(k, _get(meta, k, step)) for k in step.spec.keys))
            continue
        param, hw = step.op.param(lambda key, step=step: _get(meta, key, step), hw)
        if param is not None:
            ops.append((step.spec.op, param))
    return tuple(ops), tuple(other)


def replay(x: Tensor, ops: Sequence[tuple], input_hw: Tuple[int, int]) -> Optional[Tensor]:
    """Apply recorded geometry ``ops`` (see :func:`recorded`) to a ``[..., h, w]``
    output of an ``input_hw`` image.

    Returns None when an op cannot be replayed on it (a crop box off the
    output grid).
    """
    if x.dim() < 3:
        return x
    for name, param in ops:
        x, input_hw = replay_op(name).apply(x, param, input_hw)
        if x is None:
            return None
    return x


def _own_copy(x: Tensor) -> Tensor:
    """A contiguous CPU copy owning exactly its bytes (a view would keep the
    whole batch's storage alive)."""
    return torch.empty(x.shape, dtype=x.dtype).copy_(x.detach())


def _piece(value, batch: int, i: int):
    """Sample ``i``'s part of a recorded value (tensor / tuple / list of tensors)."""
    if isinstance(value, (tuple, list)):
        return type(value)(_piece(v, batch, i) for v in value)
    if not isinstance(value, Tensor) or value.dim() == 0 or value.shape[0] % batch:
        raise TypeError(f'teacher cache: cannot split a recorded {type(value).__name__} '
                        f'of shape {getattr(value, "shape", None)} into {batch} samples')
    return _own_copy(value[i::batch])


def _split(value, batch: int) -> list:
    """Per-sample pieces of a recorded value."""
    return [_piece(value, batch, i) for i in range(batch)]


def _merge(pieces: list, device):
    first = pieces[0]
    if isinstance(first, (tuple, list)):
        return type(first)(_merge([p[j] for p in pieces], device) for j in range(len(first)))
    groups = first.shape[0]
    stacked = torch.stack(pieces).to(device)             # [B, groups, ...]
    return stacked.transpose(0, 1).reshape(groups * len(pieces), *first.shape[1:])


def _replay_value(value, ops, input_hw):
    if isinstance(value, (tuple, list)):
        out = [_replay_value(v, ops, input_hw) for v in value]
        return None if any(o is None for o in out) else type(value)(out)
    return replay(value, ops, input_hw)


def _nbytes(value) -> int:
    if isinstance(value, (tuple, list)):
        return sum(_nbytes(v) for v in value)
    return value.numel() * value.element_size()


def _hw(meta: dict, key: str) -> Optional[tuple]:
    return tuple(int(v) for v in meta[key][:2]) if key in meta else None


class TeacherOutputCache:
    """Per-sample, memory-bounded cache of a distiller's teacher recordings.

    Args:
        pipeline (Sequence[dict]): the training pipeline config, checked by
            :func:`check_pipeline` (refused with a clear message when the
            cache cannot follow it).
        mode (str): ``'exact'`` or ``'replay'`` (module docstring).
        max_mb (float): memory budget of the stored tensors in MB (2**20
            bytes); least recently used entries are evicted beyond it.
        max_items (int, optional): also evict beyond this many entries.
        log_interval (int): lookups between two log lines.
    """

    def __init__(self, pipeline: Sequence[dict], mode: str = 'exact',
                 max_mb: float = 1024.0, max_items: Optional[int] = None,
                 log_interval: int = 500):
        if mode not in MODES:
            raise ValueError(f'TeacherOutputCache: mode must be one of {MODES}, got {mode!r}')
        if max_mb <= 0 or (max_items is not None and max_items <= 0):
            raise ValueError(f'TeacherOutputCache: max_mb and max_items must be positive, '
                             f'got {max_mb} and {max_items}')
        self.steps = check_pipeline(pipeline, mode)
        self.mode = mode
        self.max_bytes = int(max_mb * 2**20)
        self.max_items = max_items
        self.log_interval = log_interval
        self.entries: 'OrderedDict[tuple, dict]' = OrderedDict()
        self.nbytes = 0
        self.hits = self.misses = self.sample_hits = self.samples = self.evicted = 0
        self._seen = set()
        self._warned = set()
        self._unaugmented = False
        crops = [s.kind for s in self.steps if s.spec.op == 'crop']
        if mode == 'exact' and crops:
            print_log(f"Teacher cache (mode='exact') keys on the crop window of {crops}: "
                      'unless the images are barely larger than the crop, windows almost '
                      'never repeat, the cache rarely hits and fills with outputs that are '
                      "never read. mode='replay' re-applies the crop to one stored output "
                      'per sample.', logger='current', level=logging.WARNING)

    # ---------------------------------------------------------------- keys
    def _lookup(self, teacher: str, sample) -> Tuple[tuple, tuple, bool]:
        """``(key, ops to replay, storable)`` of one sample."""
        meta = sample.metainfo
        if 'sample_idx' not in meta:
            raise KeyError("teacher cache: data samples need 'sample_idx' in their metainfo "
                           "(add it to the packing transform's meta_keys).")
        idx = int(meta['sample_idx'])
        ops, other = recorded(meta, self.steps, self._unaugmented)
        pad = _hw(meta, 'pad_shape') or _hw(meta, 'img_shape')
        if self.mode == 'exact':
            return (teacher, idx, pad, ops, other), (), True
        unpadded = pad is None or pad == _hw(meta, 'img_shape')
        return (teacher, idx), ops if unpadded else None, unpadded and not ops

    @contextmanager
    def unaugmented(self):
        """Take samples that lack the recorded keys as identity draws, to fill
        the cache up front from a loader without the random transforms::

            with model.teacher_cache.unaugmented():
                for data in plain_loader:
                    data = model.data_preprocessor(data, True)
                    model.run_teachers(data['inputs'], data['data_samples'],
                                       data.get('teacher_inputs'))

        Outside this block a missing key raises ``KeyError`` (a transform that
        did not record its draw, or a packer that dropped it).
        """
        self._unaugmented = True
        try:
            yield self
        finally:
            self._unaugmented = False

    # ------------------------------------------------------------- restore
    def restore(self, distiller, teacher: str, data_samples: Sequence) -> bool:
        """Load the batch's teacher recordings from the cache; False on any miss."""
        found = []
        for sample in data_samples:
            key, ops, _ = self._lookup(teacher, sample)
            self._seen.add(key[:2])
            entry = self.entries.get(key) if ops is not None else None
            if entry is not None and ops:
                records = {name: [_replay_value(v, ops, entry['hw']) for v in values]
                           for name, values in entry['records'].items()}
                if any(v is None for values in records.values() for v in values):
                    entry = None
                else:
                    entry = dict(entry, records=records)
            found.append((key, entry))
        hit_samples = sum(entry is not None for _, entry in found)
        self.samples += len(found)
        self.sample_hits += hit_samples
        hit = hit_samples == len(found)
        if hit:
            for key, _ in found:
                self.entries.move_to_end(key)
            per_sample = [entry['records'] for _, entry in found]
            device = self._device(distiller)
            records = {name: [_merge([e[name][j] for e in per_sample], device)
                              for j in range(len(per_sample[0][name]))]
                       for name in per_sample[0]}
            distiller.load_teacher_records(teacher, records)
            self.hits += 1
        else:
            self.misses += 1
        self._report()
        return hit

    # --------------------------------------------------------------- store
    def store(self, distiller, teacher: str, data_samples: Sequence) -> None:
        """Cache the teacher recordings of this batch (replay mode: identity
        geometry only), evicting least recently used entries beyond the budget."""
        records = distiller.teacher_records(teacher)
        batch = len(data_samples)
        for i, sample in enumerate(data_samples):
            key, _, storable = self._lookup(teacher, sample)
            if not storable or key in self.entries:
                continue
            entry = dict(records={name: [_piece(v, batch, i) for v in values]
                                  for name, values in records.items()},
                         hw=_hw(sample.metainfo, 'img_shape'))
            size = sum(_nbytes(v) for values in entry['records'].values() for v in values)
            if size > self.max_bytes:
                self._warn_once('entry', f'Teacher cache: one sample\'s outputs take '
                                f'{size / 2**20:.1f} MB, more than max_mb='
                                f'{self.max_bytes / 2**20:g}; they are not cached.')
                continue
            entry['nbytes'] = size
            self.entries[key] = entry
            self.nbytes += size
            self._evict()

    def _evict(self) -> None:
        while self.entries and (self.nbytes > self.max_bytes or (
                self.max_items is not None and len(self.entries) > self.max_items)):
            _, old = self.entries.popitem(last=False)
            self.nbytes -= old['nbytes']
            self.evicted += 1

    # ------------------------------------------------------------- logging
    def summary(self) -> Dict[str, float]:
        """Counters: lookups, batch and sample hit rates, entries, MB, evictions."""
        lookups = self.hits + self.misses
        return dict(lookups=lookups, hit_rate=self.hits / max(lookups, 1),
                    sample_hit_rate=self.sample_hits / max(self.samples, 1),
                    entries=len(self.entries), mb=self.nbytes / 2**20, evicted=self.evicted)

    def _report(self) -> None:
        stats = self.summary()
        MessageHub.get_current_instance().update_scalar(HIT_RATE_KEY, stats['hit_rate'])
        if self.log_interval and stats['lookups'] % self.log_interval == 0:
            print_log(f"Teacher cache ({self.mode}): {self.hits}/{stats['lookups']} teacher "
                      f"forwards skipped ({100 * stats['hit_rate']:.1f} %), sample hit rate "
                      f"{100 * stats['sample_hit_rate']:.1f} %, {stats['entries']} entries, "
                      f"{stats['mb']:.1f} / {self.max_bytes / 2**20:g} MB, "
                      f"{self.evicted} evicted", logger='current')
        distinct = len(self._seen)
        if distinct and self.samples >= USELESS_AFTER_PASSES * distinct and \
                self.sample_hits < USELESS_HIT_RATE * self.samples:
            self._warn_once('useless', (
                f'Teacher cache ({self.mode}): {self.samples} samples looked up ({distinct} '
                f'distinct), {self.sample_hits} found: the recorded augmentation '
                f'({[s.kind for s in self.steps]}) almost never repeats, so the cache stores '
                'outputs that are rarely read. '
                + ("Use mode='replay' or remove teacher_cache." if self.mode == 'exact' else
                   'Replay mode stores only samples with identity geometry (fill it with '
                   'run_teachers inside teacher_cache.unaugmented()) and misses crop '
                   "windows off the teacher's output grid; else remove teacher_cache.")))

    def _warn_once(self, what: str, message: str) -> None:
        if what not in self._warned:
            self._warned.add(what)
            print_log(message, logger='current', level=logging.WARNING)

    @staticmethod
    def _device(distiller):
        param = next(distiller.parameters(), None)
        return param.device if param is not None else torch.device('cpu')
