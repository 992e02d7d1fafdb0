"""Build the student or the teacher of any config for measurements.

A plain config (``model.type`` a segmentor) *is* the student. A distillation
config (a :class:`~mmkd_rs.distill.algorithms.TeacherStudentDistill` model)
is read as the algorithm reads it (:mod:`mmkd_rs.distill.parts`): its
``student`` and its teachers (``teacher`` or ``teachers``), each a model
config or a config file. A part keeps the algorithm's ``data_preprocessor``
when it has none of its own, so it can preprocess a batch by itself.
"""
import copy
from typing import Optional

from mmengine.config import Config, ConfigDict

__all__ = ['PARTS', 'is_distill_config', 'resolve_model_cfg', 'build_model_part']

PARTS = ('student', 'teacher')


def is_distill_config(cfg: Config) -> bool:
    """Whether ``cfg.model`` is a distillation model (student and teachers)."""
    from mmkd_rs.distill.parts import is_distill_model_cfg
    return is_distill_model_cfg(cfg.get('model', {}))


def _teacher_name(model: dict, index: int) -> tuple:
    """``(name, model config)`` of the ``index``-th teacher of ``model``."""
    from mmkd_rs.distill.parts import teacher_cfgs
    teachers = list(teacher_cfgs(model).items())
    if not 0 <= index < len(teachers):
        raise IndexError(f'the model has {len(teachers)} teacher(s); '
                         f'index {index} is out of range')
    return teachers[index]


def resolve_model_cfg(cfg: Config, part: str = 'student', index: int = 0) -> ConfigDict:
    """The model config of ``part`` (``'student'`` or ``'teacher'``).

    Args:
        cfg: a loaded config.
        part: which network; for a plain config both names give ``cfg.model``
            except that ``'teacher'`` raises (there is none).
        index: which teacher, in the order of ``model.teachers``.
    """
    from mmkd_rs.distill.parts import student_cfg
    if part not in PARTS:
        raise ValueError(f'part must be one of {PARTS}, got {part!r}')
    if 'model' not in cfg:
        raise KeyError(f'config "{cfg.filename}" has no "model" key')
    model = cfg.model
    if not is_distill_config(cfg):
        if part == 'teacher':
            raise ValueError(f'config "{cfg.filename}" is not a distillation config '
                             '(its model is not a TeacherStudentDistill), so it has no teacher')
        return ConfigDict(copy.deepcopy(model))
    part_cfg = student_cfg(model) if part == 'student' else _teacher_name(model, index)[1]
    part_cfg = copy.deepcopy(part_cfg)
    if 'data_preprocessor' not in part_cfg and 'data_preprocessor' in model:
        part_cfg['data_preprocessor'] = copy.deepcopy(model.data_preprocessor)
    return ConfigDict(part_cfg)


def build_model_part(cfg: Config, part: str = 'student', index: int = 0,
                     checkpoint: Optional[str] = None, device: str = 'cpu'):
    """Build ``part`` of ``cfg`` in eval mode on ``device``.

    ``checkpoint`` is loaded with every tensor checked: a plain checkpoint
    whole, a distillation checkpoint's ``student.`` or ``teachers.<name>.``
    tensors.
    """
    import mmkd_rs  # noqa: F401  (mmcv-lite glue before mmseg models)
    from mmengine.registry import init_default_scope

    from mmkd_rs.distill.parts import load_part
    from mmkd_rs.registry import MODELS
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    model = MODELS.build(resolve_model_cfg(cfg, part, index))
    if checkpoint:
        name = 'student' if part == 'student' or not is_distill_config(cfg) else \
            _teacher_name(cfg.model, index)[0]
        load_part(model, checkpoint, name, target=f'the {part} of this config',
                  hint='Pass the checkpoint of this config (or of this network).')
    return model.to(device).eval()
