"""Teacher-output caching that stays correct under random augmentation.

Running a frozen teacher every iteration repeats work: its output only
depends on the (augmented) input. A cache can skip the teacher only if the
cached tensor is the one the teacher would see *for this augmentation*:

* photometric jitter (colour, blur, noise, date swap) changes the teacher's
  output in ways no tensor operation on a cached output reproduces: a pipeline
  with such a random transform is refused at build time, with its name;
* geometric transforms whose parameters are recorded in the sample's metainfo
  (crop box, flip direction, rot90 turns) are replayable.

Two modes:

``'exact'``
    key = (sample index, recorded augmentation parameters); a hit returns the
    teacher's output for exactly that input (bit-identical). Pays off when the
    augmentation space is small (flips, rot90, a fixed crop grid).
``'replay'``
    key = sample index; the cache holds the teacher's output on the
    un-augmented sample (filled when a sample arrives with identity geometry,
    or up front by ``TeacherStudentDistill.run_teachers`` over a loader
    without random transforms) and re-applies the
    recorded crop/flip/rot90 to it. Flip and rot90 are exact on spatial outputs
    and a crop is exact on the output grid when its box is a multiple of the
    output stride (otherwise the batch misses); what differs from running the
    teacher is only the context the teacher saw at the crop border.

Recorded metainfo keys (pack them with the ``meta_keys`` of the packing
transform): ``sample_idx`` (always), ``flip``/``flip_direction`` (mmseg
``RandomFlip`` and bi-temporal flips record them), ``crop_bbox`` =
``(y1, y2, x1, x2)`` in the pre-crop image, ``rot90_k`` (counter-clockwise
turns, ``np.rot90`` convention). A random transform in the pipeline that
records nothing is refused.

Stored tensors are split per sample along the batch axis; a tensor with
``k * B`` rows (e.g. both dates stacked by a siamese encoder) is split into
the rows ``i, i + B, ...`` of sample ``i``.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from torch import Tensor

# transform type -> recorded metainfo keys that replay it (empty: deterministic)
DETERMINISTIC = {
    'LoadImageFromFile', 'LoadAnnotations', 'PackSegInputs', 'LoadBiTemporalImages',
    'LoadBiTemporalAnnotations', 'PackBiTemporalInputs', 'LoadPairedImages',
    'PackPairedInputs', 'Resize', 'BiTemporalResize', 'ToTensor', 'Normalize'}
GEOMETRIC = {
    'RandomFlip': ('flip', 'flip_direction'),
    'BiTemporalRandomFlip': ('flip', 'flip_direction'),
    'RandomCrop': ('crop_bbox',),
    'BiTemporalRandomCrop': ('crop_bbox',),
    'RandomRot90': ('rot90_k',),
    'BiTemporalRandomRot90': ('rot90_k',),
}
NOT_REPLAYABLE = {
    'PhotoMetricDistortion': 'photometric jitter is not a tensor operation on outputs',
    'BiTemporalPhotoMetricDistortion': 'photometric jitter is not a tensor operation on '
                                       'outputs',
    'RandomGaussianBlur': 'blur is not a tensor operation on outputs',
    'BiTemporalSwap': 'swapping dates changes what a change teacher sees',
    'RandomRotate': 'arbitrary-angle rotation interpolates',
    'BiTemporalRandomRotate': 'arbitrary-angle rotation interpolates',
    'RandomResize': 'random rescaling interpolates',
    'RandomChoiceResize': 'random rescaling interpolates',
    'RandomCutOut': 'cut-out changes the input content',
    'RandomMosaic': 'mosaic mixes samples',
}
MODES = ('exact', 'replay')


class TeacherCacheRefused(ValueError):
    """The pipeline has random transforms a cache cannot replay."""


def check_pipeline(pipeline: Sequence[dict]) -> List[Tuple[str, tuple]]:
    """Validate a pipeline config; return its replayable ``(type, keys)`` in order.

    Raises:
        TeacherCacheRefused: naming every transform that cannot be replayed.
    """
    replayable, refused = [], []
    for i, t in enumerate(pipeline):
        kind = t['type'] if isinstance(t, dict) else type(t).__name__
        if kind in GEOMETRIC:
            replayable.append((kind, GEOMETRIC[kind]))
        elif kind in NOT_REPLAYABLE:
            refused.append(f'  pipeline[{i}] {kind}: {NOT_REPLAYABLE[kind]}')
        elif kind not in DETERMINISTIC:
            refused.append(f'  pipeline[{i}] {kind}: unknown to the teacher cache (not '
                           'known to be deterministic or replayable)')
    if refused:
        raise TeacherCacheRefused(
            'Teacher-output caching refused: cached teacher outputs would not match '
            'the augmented inputs because of\n' + '\n'.join(refused) +
            '\nRemove these transforms from the training pipeline or disable '
            'teacher_cache (the teacher then runs every iteration).')
    return replayable


def geometry_of(metainfo: dict, replayable: Sequence[Tuple[str, tuple]]) -> tuple:
    """Recorded geometry ops of one sample, in pipeline order (identity: ``()``)."""
    ops = []
    for kind, keys in replayable:
        if keys[0] == 'flip':
            if metainfo.get('flip'):
                ops.append(('flip', metainfo['flip_direction']))
        elif keys[0] == 'crop_bbox':
            if 'crop_bbox' not in metainfo:
                raise KeyError(f"teacher cache: {kind} in the pipeline but no 'crop_bbox' in "
                               'the sample metainfo; the crop must record it and the packer '
                               "must keep it (meta_keys).")
            ops.append(('crop', tuple(int(v) for v in metainfo['crop_bbox'])))
        elif keys[0] == 'rot90_k':
            if 'rot90_k' not in metainfo:
                raise KeyError(f"teacher cache: {kind} in the pipeline but no 'rot90_k' in "
                               'the sample metainfo (meta_keys).')
            if int(metainfo['rot90_k']) % 4:
                ops.append(('rot90', int(metainfo['rot90_k']) % 4))
    return tuple(ops)


def replay(x: Tensor, ops: Sequence[tuple], input_hw: Tuple[int, int]) -> Optional[Tensor]:
    """Apply recorded geometry to a ``[..., h, w]`` output of an ``input_hw`` image.

    Returns None when a crop box is not on the output grid.
    """
    if x.dim() < 3:
        return x
    for op in ops:
        if op[0] == 'flip':
            dims = {'horizontal': (-1,), 'vertical': (-2,), 'diagonal': (-2, -1)}[op[1]]
            x = torch.flip(x, dims)
        elif op[0] == 'rot90':
            x = torch.rot90(x, op[1], dims=(-2, -1))
            input_hw = input_hw[::-1] if op[1] % 2 else input_hw
        elif op[0] == 'crop':
            y1, y2, x1, x2 = op[1]
            sy, sx = input_hw[0] / x.shape[-2], input_hw[1] / x.shape[-1]
            box = (y1 / sy, y2 / sy, x1 / sx, x2 / sx)
            if any(abs(b - round(b)) > 1e-6 for b in box):
                return None
            y1, y2, x1, x2 = (int(round(b)) for b in box)
            x = x[..., y1:y2, x1:x2]
            input_hw = (op[1][1] - op[1][0], op[1][3] - op[1][2])
    return x


def _split(value, batch: int):
    """Per-sample pieces of a recorded value (tensor / tuple / list of tensors)."""
    if isinstance(value, (tuple, list)):
        parts = [_split(v, batch) for v in value]
        return [type(value)(p[i] for p in parts) for i in range(batch)]
    if not isinstance(value, Tensor) or value.dim() == 0 or value.shape[0] % batch:
        raise TypeError(f'teacher cache: cannot split a recorded {type(value).__name__} '
                        f'of shape {getattr(value, "shape", None)} into {batch} samples')
    groups = value.shape[0] // batch
    return [value[i::batch][:groups].detach().cpu() for i in range(batch)]


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


class TeacherOutputCache:
    """Per-sample cache of a distiller's teacher recordings.

    Args:
        pipeline (Sequence[dict]): the training pipeline config, checked by
            :func:`check_pipeline` (refused with a clear message when not
            replayable).
        mode (str): ``'exact'`` or ``'replay'`` (module docstring).
        max_items (int, optional): stop adding entries beyond this count.
    """

    def __init__(self, pipeline: Sequence[dict], mode: str = 'exact',
                 max_items: Optional[int] = None):
        if mode not in MODES:
            raise ValueError(f'TeacherOutputCache: mode must be one of {MODES}, got {mode!r}')
        self.replayable = check_pipeline(pipeline)
        self.mode = mode
        self.max_items = max_items
        self.entries: Dict[tuple, dict] = {}
        self.hits = 0
        self.misses = 0

    def _key(self, teacher: str, sample) -> Tuple[tuple, tuple]:
        meta = sample.metainfo
        if 'sample_idx' not in meta:
            raise KeyError("teacher cache: data samples need 'sample_idx' in their metainfo "
                           "(add it to the packing transform's meta_keys).")
        ops = geometry_of(meta, self.replayable)
        if self.mode == 'exact':
            return (teacher, int(meta['sample_idx']), ops), ()
        return (teacher, int(meta['sample_idx'])), ops

    def restore(self, distiller, teacher: str, data_samples: Sequence) -> bool:
        """Load the batch's teacher recordings from the cache; False on any miss."""
        per_sample = []
        for sample in data_samples:
            key, ops = self._key(teacher, sample)
            entry = self.entries.get(key)
            if entry is None:
                self.misses += 1
                return False
            if ops:
                entry = {name: [_replay_value(v, ops, tuple(sample.metainfo['ori_shape']))
                                for v in values] for name, values in entry.items()}
                if any(v is None for values in entry.values() for v in values):
                    self.misses += 1
                    return False
            per_sample.append(entry)
        device = self._device(distiller)
        records = {name: [_merge([e[name][j] for e in per_sample], device)
                          for j in range(len(per_sample[0][name]))]
                   for name in per_sample[0]}
        distiller.load_teacher_records(teacher, records)
        self.hits += 1
        return True

    def store(self, distiller, teacher: str, data_samples: Sequence) -> None:
        """Cache the teacher recordings of this batch (replay mode: identity geometry only)."""
        records = distiller.teacher_records(teacher)
        batch = len(data_samples)
        split = {name: [_split(v, batch) for v in values] for name, values in records.items()}
        for i, sample in enumerate(data_samples):
            key, ops = self._key(teacher, sample)
            if ops or key in self.entries or (
                    self.max_items is not None and len(self.entries) >= self.max_items):
                continue
            self.entries[key] = {name: [v[i] for v in values] for name, values in split.items()}

    @staticmethod
    def _device(distiller):
        param = next(distiller.parameters(), None)
        return param.device if param is not None else torch.device('cpu')
