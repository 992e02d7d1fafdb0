"""TSKD-Road distiller: the configurable distiller plus teacher feature networks."""
from typing import Dict

from torch import nn

from mmkd_rs.registry import DISTILLERS

from ..feature_net import get_submodule
from ..wiring import check_name
from .configurable_distiller import ConfigurableDistiller


@DISTILLERS.register_module()
class TSKDDistiller(ConfigurableDistiller):
    """:class:`ConfigurableDistiller` that also hands frozen teacher submodules
    to the losses that compare maps in a teacher's feature space.

    Every distill loss with a ``teacher_source`` of ``(teacher name, module
    path)`` (e.g. ``TopologicalSpaceLoss(feature_net=dict(teacher='teacher',
    module='backbone.encoder'))``) gets that submodule of the built, frozen
    teacher through ``bind_feature_net``. Arguments are those of
    :class:`ConfigurableDistiller`; the teacher modules stay owned by the
    algorithm (they are not registered again, so never saved twice).
    """

    def prepare(self, student: nn.Module, teachers: Dict[str, nn.Module],
                teacher_weights: Dict[str, float]) -> None:
        super().prepare(student, teachers, teacher_weights)
        for name, loss in self.distill_losses.items():
            source = getattr(loss, 'teacher_source', None)
            if source is None:
                continue
            teacher, module = source
            where = f'distill_losses[{name!r}].feature_net'
            check_name(teacher, teachers, 'teacher name', where)
            loss.bind_feature_net(get_submodule(teachers[teacher], module, where))
