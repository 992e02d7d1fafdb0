"""MTKD distiller: each sample distilled from the teacher of its change-area-ratio partition."""
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

from mmkd_rs.datasets.change_ratio import car_partition, change_area_ratio, check_thresholds
from mmkd_rs.registry import DISTILLERS

from ..wiring import DistillConfigError, check_name
from .configurable_distiller import ConfigurableDistiller, stack_pixel_field

ROUTE = 'route'


@DISTILLERS.register_module()
class MTKDDistiller(ConfigurableDistiller):
    """:class:`ConfigurableDistiller` with teacher sources routed per sample.

    Multi-teacher KD of Liu et al. (JL1-CD, arXiv:2502.13407): teacher ``k``
    was trained on the training samples whose change-area ratio (CAR) falls in
    partition ``k``; here every sample of a batch takes its teacher tensors
    from the teacher of its own partition. A teacher source
    ``dict(from_student=False, recorder='logits', reduce='route')`` gives
    ``T[n] = recording of routing.teachers[k(n)] for sample n``, with
    ``k(n) = number of thresholds <= CAR(label of sample n)`` (CAR = changed /
    labelled pixels of the sample's label as the student sees it, after
    cropping). Every routed teacher runs on the whole batch (their outputs
    per sample do not depend on the batch: they are frozen in eval mode); a
    routed source carries no teacher weight. Per batch, ``distill.route_<teacher>``
    logs how many samples went to each teacher (not a loss).

    Args:
        routing (dict): ``teachers`` (names of the ``teachers`` of the
            algorithm, one per partition, by increasing CAR), ``thresholds``
            (increasing, ``len(teachers) - 1`` values in (0, 1); default
            ``(0.05, 0.2)``), ``label`` (data-sample field, default
            ``'gt_sem_seg'``), ``ignore_index`` (default 255).
        **kwargs: the arguments of :class:`ConfigurableDistiller`.
    """

    def __init__(self, routing: dict, **kwargs):
        routing = dict(routing)
        for key in routing:
            check_name(key, ('teachers', 'thresholds', 'label', 'ignore_index'),
                       'routing option', 'MTKDDistiller.routing')
        if 'teachers' not in routing:
            raise DistillConfigError("MTKDDistiller.routing: give teachers=['<partition 0 "
                                     "teacher>', ...] (by increasing change-area ratio)")
        self.route_teachers = list(routing['teachers'])
        if any('loss' in name for name in self.route_teachers):
            raise DistillConfigError('MTKDDistiller.routing.teachers: teacher names must not '
                                     f"contain 'loss' (got {self.route_teachers}); their "
                                     'distill.route_<name> counts would be summed as losses')
        try:
            self.thresholds = check_thresholds(routing.get('thresholds', (0.05, 0.2)),
                                               'MTKDDistiller.routing')
        except ValueError as err:
            raise DistillConfigError(str(err)) from None
        if len(self.thresholds) != len(self.route_teachers) - 1:
            raise DistillConfigError(
                f'MTKDDistiller.routing: {len(self.route_teachers)} teachers need '
                f'{len(self.route_teachers) - 1} thresholds, got {self.thresholds}')
        self.route_label = routing.get('label', 'gt_sem_seg')
        self.route_ignore_index = int(routing.get('ignore_index', 255))
        self._routes: Optional[Tensor] = None
        super().__init__(**kwargs)

    def prepare(self, student, teachers, teacher_weights) -> None:
        for name in self.route_teachers:
            check_name(name, teachers, 'teacher name', 'MTKDDistiller.routing.teachers')
        super().prepare(student, teachers, teacher_weights)

    def _check_source(self, source, where: str) -> set:
        if not (isinstance(source, dict) and source.get('reduce') == ROUTE):
            return super()._check_source(source, where)
        if source.get('from_student', True) or 'teacher' in source:
            raise DistillConfigError(f"{where}: reduce='route' is for teacher sources "
                                     "(from_student=False) and takes no teacher=")
        without = {k: v for k, v in source.items() if k != 'reduce'}
        for name in self.route_teachers:
            if source['recorder'] not in self.teacher_groups[name]:
                raise DistillConfigError(f"{where}: routed teacher {name!r} has no recorder "
                                         f"{source['recorder']!r}")
        super()._check_source(dict(without, teacher=self.route_teachers[0]), where)
        return set()

    def routes(self, data_samples: Sequence) -> Tensor:
        """Partition index ``[N]`` (long) of every sample's label."""
        labels = stack_pixel_field(data_samples, self.route_label)
        return torch.tensor([car_partition(change_area_ratio(lbl, self.route_ignore_index),
                                           self.thresholds) for lbl in labels],
                            dtype=torch.long, device=labels.device)

    def _resolve(self, source: dict, data_samples: Sequence) -> Tensor:
        if source.get('reduce') != ROUTE:
            return super()._resolve(source, data_samples)
        idx = dict(record_idx=source.get('record_idx', 0), data_idx=source.get('data_idx'))
        stacked = torch.stack([self.teacher_groups[t][source['recorder']].get(**idx)
                               for t in self.route_teachers])                 # [K, N, ...]
        routes = self._routes.to(stacked.device)
        value = stacked[routes, torch.arange(len(routes), device=stacked.device)]
        if source.get('connector') is not None:
            value = self.connectors[source['connector']](value)
        return value

    def compute_losses(self, data_samples: Sequence = ()) -> Dict[str, Tensor]:
        """:meth:`ConfigurableDistiller.compute_losses` plus ``distill.route_<teacher>`` counts."""
        self._routes = self.routes(data_samples)
        try:
            losses = super().compute_losses(data_samples)
        finally:
            routes, self._routes = self._routes, None
        for k, name in enumerate(self.route_teachers):
            losses[f'distill.route_{name}'] = (routes == k).sum().float()
        return losses
