"""The distiller configured entirely by data: recorders, connectors, losses, mappings."""
import copy
from typing import Dict, List, Optional, Sequence

import torch
from torch import Tensor, nn

from mmkd_rs.registry import DISTILLERS, MODELS

from ..recorders import RecorderGroup, build_recorder
from ..schedules import LossWeightSchedule
from ..wiring import DistillConfigError, check_loss_mapping, check_name, suggest

_SOURCE_KEYS = {'from_student', 'recorder', 'record_idx', 'data_idx', 'connector',
                'teacher', 'reduce'}


def distill_loss_key(name: str) -> str:
    """Log/loss key of a distill loss: ``distill.<name>``, with ``loss_`` added
    when ``name`` lacks 'loss' (mmengine only sums keys containing 'loss')."""
    return f'distill.{name}' if 'loss' in name else f'distill.loss_{name}'


def distill_weight_key(name: str) -> str:
    """Log key of the schedule factor of distill loss ``name``: its loss key
    with 'loss' replaced by 'weight' (``loss_kd`` -> ``distill.weight_kd``), so
    mmengine's ``parse_losses`` logs it without adding it to the total."""
    return distill_loss_key(name).replace('loss', 'weight')


@DISTILLERS.register_module()
class ConfigurableDistiller(nn.Module):
    """Records tensors in student and teachers and turns them into distill losses.

    Args:
        student_recorders (dict): ``name -> dict(type='ModuleOutputs',
            source='decode_head.conv_seg')`` on the student.
        teacher_recorders (dict): the same on the teachers; an entry may add
            ``teacher='<name>'`` to record in one teacher only (default: in
            every teacher).
        connectors (dict): ``name -> connector config`` (MODELS), trained
            with the student.
        distill_losses (dict): ``name -> loss config`` (MODELS). The loss is
            returned as ``distill.<name>`` (``distill.loss_<name>`` when the
            name does not contain 'loss', so it is always summed).
        loss_forward_mappings (dict): ``loss name -> {forward argument ->
            source}``; a source is ``dict(from_student=True|False,
            recorder=..., record_idx=0, data_idx=None, connector=None)``, for
            teachers also ``teacher='<name>'`` or ``reduce='weighted_mean'``
            (weights of ``teachers`` normalised), or ``dict(from_data=
            'gt_sem_seg')`` for the stacked labels ``[N, H, W]`` of the batch.
        loss_weight_schedules (dict): ``loss name -> LossWeightSchedule``
            keyword arguments.

    A loss whose teacher arguments all come from ONE named teacher is
    multiplied by that teacher's ``weight``; a ``weighted_mean`` source
    already carries the weights.
    """

    def __init__(self, student_recorders: Optional[dict] = None,
                 teacher_recorders: Optional[dict] = None,
                 connectors: Optional[dict] = None,
                 distill_losses: Optional[dict] = None,
                 loss_forward_mappings: Optional[dict] = None,
                 loss_weight_schedules: Optional[dict] = None):
        super().__init__()
        self.student_recorder_cfgs = copy.deepcopy(dict(student_recorders or {}))
        self.teacher_recorder_cfgs = copy.deepcopy(dict(teacher_recorders or {}))
        self.connectors = nn.ModuleDict(
            {self._key(n, 'connectors'): MODELS.build(c) for n, c in (connectors or {}).items()})
        self.distill_losses = nn.ModuleDict(
            {self._key(n, 'distill_losses'): MODELS.build(c)
             for n, c in (distill_losses or {}).items()})
        self.loss_forward_mappings = copy.deepcopy(dict(loss_forward_mappings or {}))
        schedules = dict(loss_weight_schedules or {})
        for name in schedules:
            check_name(name, self.distill_losses, 'distill loss', 'loss_weight_schedules')
        self.schedules = {n: LossWeightSchedule(**c) for n, c in schedules.items()}
        self._check_losses_have_mappings()
        self.current_iter: Optional[int] = None     # set by DistillIterHook
        self.student_group: Optional[RecorderGroup] = None
        self.teacher_groups: Dict[str, RecorderGroup] = {}
        self._teacher_weights: Dict[str, float] = {}
        self._loss_scales: Dict[str, float] = {}

    @staticmethod
    def _key(name: str, where: str) -> str:
        if not isinstance(name, str) or '.' in name or not name:
            raise DistillConfigError(f'{where}: names must be non-empty strings without '
                                     f"'.', got {name!r}")
        return name

    def _check_losses_have_mappings(self) -> None:
        for name in self.loss_forward_mappings:
            check_name(name, self.distill_losses, 'distill loss', 'loss_forward_mappings')
        for name, loss in self.distill_losses.items():
            if name not in self.loss_forward_mappings:
                raise DistillConfigError(
                    f'distill loss {name!r} has no entry in loss_forward_mappings; add '
                    f'loss_forward_mappings[{name!r}] = dict(<argument>=dict(from_student=..., '
                    'recorder=...), ...).')
            check_loss_mapping(name, loss, self.loss_forward_mappings[name])

    # ------------------------------------------------------------------ build
    def prepare(self, student: nn.Module, teachers: Dict[str, nn.Module],
                teacher_weights: Dict[str, float]) -> None:
        """Install recorders on ``student``/``teachers`` and validate every mapping."""
        self._teacher_weights = dict(teacher_weights)
        self.student_group = RecorderGroup({
            name: self._install(cfg, student, f'student_recorders[{name!r}]')
            for name, cfg in self.student_recorder_cfgs.items()})
        per_teacher: Dict[str, dict] = {t: {} for t in teachers}
        for name, cfg in self.teacher_recorder_cfgs.items():
            cfg = dict(cfg)
            where = f'teacher_recorders[{name!r}]'
            only = cfg.pop('teacher', None)
            if only is not None:
                check_name(only, teachers, 'teacher name', where)
            for tname in ([only] if only is not None else teachers):
                per_teacher[tname][name] = self._install(cfg, teachers[tname],
                                                         f'{where} (teacher {tname!r})')
        self.teacher_groups = {t: RecorderGroup(r) for t, r in per_teacher.items()}
        for loss_name, mapping in self.loss_forward_mappings.items():
            used = set()
            for arg, source in mapping.items():
                used |= self._check_source(source, f'loss_forward_mappings[{loss_name!r}]'
                                                   f'[{arg!r}]')
            self._loss_scales[loss_name] = (self._teacher_weights[used.pop()]
                                            if len(used) == 1 else 1.0)

    @staticmethod
    def _install(cfg: dict, model: nn.Module, where: str):
        recorder = build_recorder(cfg, where)
        recorder.prepare(model, where)
        return recorder

    def _check_source(self, source, where: str) -> set:
        """Validate one argument source; return the single teachers it uses."""
        if not isinstance(source, dict):
            raise DistillConfigError(f'{where}: a source is a dict, got {source!r}')
        if 'from_data' in source:
            if set(source) != {'from_data'}:
                raise DistillConfigError(f"{where}: a from_data source has no other keys, "
                                         f'got {sorted(source)}')
            return set()
        for key in source:
            check_name(key, _SOURCE_KEYS, 'source key', where)
        if 'from_student' not in source or 'recorder' not in source:
            raise DistillConfigError(f'{where}: a source needs from_student=True/False and '
                                     f"recorder='<name>', got {source!r}")
        if source.get('connector') is not None:
            check_name(source['connector'], self.connectors, 'connector', where)
        rec = source['recorder']
        if source['from_student']:
            check_name(rec, self.student_group.names(), 'student recorder', where)
            return set()
        holders = [t for t, g in self.teacher_groups.items() if rec in g]
        check_name(rec, {r for g in self.teacher_groups.values() for r in g.names()},
                   'teacher recorder', where)
        if source.get('reduce') is not None:
            if source['reduce'] != 'weighted_mean':
                raise DistillConfigError(f"{where}: reduce must be 'weighted_mean', "
                                         f"got {source['reduce']!r}")
            return set()
        teacher = source.get('teacher')
        if teacher is None:
            if len(holders) > 1:
                raise DistillConfigError(
                    f'{where}: teachers {holders} all record {rec!r}; set teacher=<one of '
                    "them> or reduce='weighted_mean'.")
            teacher = holders[0]
        check_name(teacher, holders, f'teacher recording {rec!r}', where)
        source['teacher'] = teacher
        return {teacher}

    # --------------------------------------------------------------- runtime
    def set_iter(self, it: int) -> None:
        """Set the training iteration used by loss-weight schedules
        (:class:`~mmkd_rs.distill.hooks.DistillIterHook` calls it before
        every training iteration)."""
        self.current_iter = int(it)

    def reset_records(self) -> None:
        """Drop every recorded student and teacher tensor (call once the
        distill losses are computed, so they do not outlive the step)."""
        for group in [self.student_group, *self.teacher_groups.values()]:
            if group is not None:
                group.reset()

    def teacher_records(self, teacher: str) -> Dict[str, List]:
        """What each recorder of ``teacher`` captured in the last forward."""
        return {n: list(r.data) for n, r in self.teacher_groups[teacher].recorders.items()}

    def load_teacher_records(self, teacher: str, records: Dict[str, List]) -> None:
        """Replace ``teacher``'s recordings (e.g. with cached outputs)."""
        for name, rec in self.teacher_groups[teacher].recorders.items():
            rec.data = list(records[name])

    def _resolve(self, source: dict, data_samples: Sequence) -> Tensor:
        if 'from_data' in source:
            return stack_pixel_field(data_samples, source['from_data'])
        idx = dict(record_idx=source.get('record_idx', 0), data_idx=source.get('data_idx'))
        rec = source['recorder']
        if source['from_student']:
            value = self.student_group[rec].get(**idx)
        elif source.get('reduce') == 'weighted_mean':
            holders = [t for t, g in self.teacher_groups.items() if rec in g]
            total = sum(self._teacher_weights[t] for t in holders)
            value = sum(self._teacher_weights[t] / total * self.teacher_groups[t][rec].get(**idx)
                        for t in holders)
        else:
            value = self.teacher_groups[source['teacher']][rec].get(**idx)
        if source.get('connector') is not None:
            value = self.connectors[source['connector']](value)
        return value

    def compute_losses(self, data_samples: Sequence = ()) -> Dict[str, Tensor]:
        """Evaluate every distill loss on the current recordings.

        Returns ``{distill.<key>: scaled scalar}`` plus, for scheduled losses,
        the schedule factor under :func:`distill_weight_key` (no 'loss' in it:
        logged, not summed into the total).
        """
        if self.schedules and self.current_iter is None:
            raise DistillConfigError(
                f'loss_weight_schedules of {sorted(self.schedules)} need the training '
                "iteration: add custom_hooks=[dict(type='DistillIterHook')] to the config "
                '(tools/train.py adds it to every distillation config) or call '
                'distiller.set_iter(iteration) before the loss.')
        losses = {}
        for name, loss in self.distill_losses.items():
            kwargs = {arg: self._resolve(src, data_samples)
                      for arg, src in self.loss_forward_mappings[name].items()}
            try:
                value = loss(**kwargs)
            except (ValueError, RuntimeError) as err:
                shapes = {k: tuple(v.shape) for k, v in kwargs.items() if isinstance(v, Tensor)}
                note = f'distill loss {name!r} ({type(loss).__name__}) failed on inputs {shapes}'
                err.args = (f'{note}: {err.args[0] if err.args else ""}',) + err.args[1:]
                raise
            scale = self._loss_scales.get(name, 1.0)
            if name in self.schedules:
                factor = self.schedules[name](self.current_iter)
                losses[distill_weight_key(name)] = torch.tensor(factor)
                scale = scale * factor
            if isinstance(value, dict):
                for sub, v in value.items():
                    losses[distill_loss_key(f'{name}_{sub}')] = v * scale
            else:
                losses[distill_loss_key(name)] = value * scale
        return losses


def stack_pixel_field(data_samples: Sequence, field: str) -> Tensor:
    """Stack ``data_sample.<field>.data`` (``[1, H, W]``) into ``[N, H, W]``."""
    values = []
    for i, sample in enumerate(data_samples):
        if field not in sample:
            raise KeyError(f"from_data={field!r}: data sample {i} has no field {field!r}"
                           + suggest(field, list(sample.keys())))
        values.append(getattr(sample, field).data.squeeze(0))
    return torch.stack(values)
