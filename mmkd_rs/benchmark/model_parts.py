"""Build the student or the teacher of any config for measurements.

A plain config (``model.type`` a segmentor) *is* the student.  A distillation
config (``model.type == 'TeacherStudentDistill'``) holds ``student`` and
``teacher`` (or ``teachers``, a list); each may be a model config dict, a
path to a config file, or a dict naming one (``config``/``cfg``/``model``
keys).  The part keeps the algorithm's ``data_preprocessor`` when it has none
of its own, so it can preprocess a batch by itself.
"""
import copy
import os.path as osp
from typing import Optional

from mmengine.config import Config, ConfigDict
from mmengine.runner.checkpoint import _load_checkpoint, load_state_dict

__all__ = ['PARTS', 'is_distill_config', 'resolve_model_cfg', 'build_model_part',
           'load_part_weights']

PARTS = ('student', 'teacher')


def is_distill_config(cfg: Config) -> bool:
    """Whether ``cfg.model`` holds a student and a teacher."""
    model = cfg.get('model', {})
    return 'student' in model and ('teacher' in model or 'teachers' in model)


def _model_from_ref(ref, where: str) -> dict:
    """A model config dict from a dict, a config path or a dict naming one."""
    if isinstance(ref, str):
        if not osp.isfile(ref):
            raise FileNotFoundError(f'{where} names config file "{ref}", which does not exist')
        return copy.deepcopy(Config.fromfile(ref).model)
    if isinstance(ref, dict):
        if 'type' in ref:
            return copy.deepcopy(ref)
        for key in ('model', 'config', 'cfg'):
            if key in ref:
                return _model_from_ref(ref[key], f'{where}.{key}')
    raise ValueError(f'{where} must be a model config dict (with "type"), a config file '
                     f'path, or a dict with a "config"/"cfg"/"model" key; got {ref!r}')


def resolve_model_cfg(cfg: Config, part: str = 'student', index: int = 0) -> ConfigDict:
    """The model config of ``part`` (``'student'`` or ``'teacher'``).

    Args:
        cfg: a loaded config.
        part: which network; for a plain config both names give ``cfg.model``
            except that ``'teacher'`` raises (there is none).
        index: which teacher of a multi-teacher ``teachers`` list.
    """
    if part not in PARTS:
        raise ValueError(f'part must be one of {PARTS}, got {part!r}')
    if 'model' not in cfg:
        raise KeyError(f'config "{cfg.filename}" has no "model" key')
    model = cfg.model
    if not is_distill_config(cfg):
        if part == 'teacher':
            raise ValueError(f'config "{cfg.filename}" is not a distillation config '
                             '(model has no "student"/"teacher"), so it has no teacher')
        return ConfigDict(copy.deepcopy(model))
    if part == 'student':
        part_cfg = _model_from_ref(model.student, 'model.student')
    elif 'teacher' in model and model.teacher is not None:
        part_cfg = _model_from_ref(model.teacher, 'model.teacher')
    else:
        teachers = model.teachers
        if isinstance(teachers, dict):
            teachers = list(teachers.values())
        if not 0 <= index < len(teachers):
            raise IndexError(f'model.teachers has {len(teachers)} teacher(s); '
                             f'index {index} is out of range')
        part_cfg = _model_from_ref(teachers[index], f'model.teachers[{index}]')
    if 'data_preprocessor' not in part_cfg and 'data_preprocessor' in model:
        part_cfg['data_preprocessor'] = copy.deepcopy(model.data_preprocessor)
    return ConfigDict(part_cfg)


def _state_dict_of_part(state_dict: dict, part: str, index: int) -> dict:
    """Keys of ``part`` with their prefix removed: ``student.`` for the
    student, ``teacher.`` or ``teachers.<index-th name>.`` for a teacher;
    the whole dict when the checkpoint is not a distillation checkpoint."""
    prefixes = [f'{part}.']
    if part == 'teacher':
        names = list(dict.fromkeys(k.split('.')[1] for k in state_dict
                                   if k.startswith('teachers.') and k.count('.') > 1))
        if index < len(names):
            prefixes.append(f'teachers.{names[index]}.')
    for prefix in prefixes:
        sub = {k[len(prefix):]: v for k, v in state_dict.items() if k.startswith(prefix)}
        if sub:
            return sub
    return state_dict


def load_part_weights(model, checkpoint: str, part: str = 'student', index: int = 0):
    """Load ``checkpoint`` into ``model``; a distillation checkpoint gives
    its ``student.`` (or ``teacher.``) sub-dict, a plain one is used as is."""
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state_dict = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt
    load_state_dict(model, _state_dict_of_part(state_dict, part, index), strict=False)
    return model


def build_model_part(cfg: Config, part: str = 'student', index: int = 0,
                     checkpoint: Optional[str] = None, device: str = 'cpu'):
    """Build ``part`` of ``cfg`` in eval mode on ``device``."""
    import mmkd_rs  # noqa: F401  (mmcv-lite glue before mmseg models)
    from mmkd_rs.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    model = MODELS.build(resolve_model_cfg(cfg, part, index))
    if checkpoint:
        load_part_weights(model, checkpoint, part, index)
    return model.to(device).eval()
