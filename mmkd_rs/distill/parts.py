"""The student and the teachers of a distillation config and checkpoint.

A :class:`~mmkd_rs.distill.algorithms.TeacherStudentDistill` config holds
its networks the way the algorithm reads them (:func:`normalise_teachers`),
and its checkpoints hold them under ``student.`` and, with
``save_teacher_weights=True``, ``teachers.<name>.``. The deployed model
(:mod:`mmkd_rs.apis`), the benchmarks and ``extract_student.py`` use these
functions, so that they read configs and checkpoints as training wrote them.
"""
from typing import Dict

from mmengine.runner import CheckpointLoader
from torch import nn

from mmkd_rs.engine.strict_loading import load_checkpoint_to_model, select_state_dict
from mmkd_rs.registry import MODELS

from .algorithms.teacher_student import (STUDENT_PREFIX, TEACHER_PREFIX,
                                         TeacherStudentDistill, normalise_teachers)
from .teacher import resolve_model_cfg

__all__ = ['is_distill_model_cfg', 'student_cfg', 'teacher_cfgs', 'is_distill_checkpoint',
           'part_prefix', 'load_part']


def is_distill_model_cfg(model_cfg: dict) -> bool:
    """Whether ``model_cfg`` builds a :class:`TeacherStudentDistill` (or a subclass)."""
    model_type = model_cfg.get('type')
    cls = MODELS.get(model_type) if isinstance(model_type, str) else model_type
    return isinstance(cls, type) and issubclass(cls, TeacherStudentDistill)


def student_cfg(model_cfg: dict) -> dict:
    """The student's model config (a config file read) of a distillation model config."""
    return resolve_model_cfg(model_cfg['student'], 'model.student')


def teacher_cfgs(model_cfg: dict) -> Dict[str, dict]:
    """``{teacher name: model config}`` of a distillation model config, in
    order, config files read, as the algorithm builds them."""
    specs = normalise_teachers(model_cfg.get('teacher'), model_cfg.get('teacher_ckpt'),
                               model_cfg.get('teachers'))
    return {name: spec['cfg'] for name, spec in specs.items()}


def is_distill_checkpoint(checkpoint: dict) -> bool:
    """Whether a loaded checkpoint holds a distillation model's ``student.*`` tensors."""
    return isinstance(checkpoint, dict) and any(
        k.startswith(STUDENT_PREFIX) for k in select_state_dict(checkpoint))


def part_prefix(checkpoint: dict, part: str = 'student') -> str:
    """Where ``part`` (``'student'`` or a teacher's name) lies in ``checkpoint``:
    ``''`` in a plain checkpoint, else ``'student.'`` or ``'teachers.<name>.'``."""
    if not is_distill_checkpoint(checkpoint):
        return ''
    return STUDENT_PREFIX if part == 'student' else f'{TEACHER_PREFIX}{part}.'


def load_part(model: nn.Module, checkpoint: str, part: str = 'student', **kwargs) -> dict:
    """Load ``part`` of a distillation checkpoint, or a plain checkpoint, into ``model``.

    Every tensor is checked (:func:`load_checkpoint_to_model`, whose keyword
    arguments ``kwargs`` are); returns the loaded checkpoint.
    """
    loaded = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    return load_checkpoint_to_model(model, loaded, f'checkpoint "{checkpoint}"',
                                    prefix=part_prefix(loaded, part), **kwargs)
