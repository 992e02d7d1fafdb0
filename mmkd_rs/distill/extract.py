"""Turn a distillation checkpoint into a student-only segmentor checkpoint.

The result loads with strict keys into the student config's model (by
``tools/test.py`` and mmseg's ``init_model``) and predicts exactly as the
student inside the distillation model. Works whether or not the KD checkpoint
kept teacher weights (``save_teacher_weights``).
"""
import os
import os.path as osp
from typing import Optional

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader

from mmkd_rs.engine.strict_loading import load_checkpoint_to_model, select_state_dict
from mmkd_rs.utils.errors import UserError

from .algorithms.teacher_student import STUDENT_PREFIX
from .parts import is_distill_checkpoint
from .teacher import file_sha256


class StudentExtractionError(UserError):
    """The checkpoint is not a distillation checkpoint."""


def student_state_dict(kd_ckpt: str) -> tuple:
    """``(student state_dict, KD checkpoint meta, dropped key count)``."""
    checkpoint = CheckpointLoader.load_checkpoint(kd_ckpt, map_location='cpu')
    if not is_distill_checkpoint(checkpoint):
        keys = list(checkpoint.get('state_dict', checkpoint)) if isinstance(checkpoint, dict) \
            else []
        raise StudentExtractionError(
            f'{kd_ckpt}: no "student.*" weights; this is not a TeacherStudentDistill '
            f'checkpoint (first keys: {keys[:5]}).')
    student = select_state_dict(checkpoint, STUDENT_PREFIX)
    meta = dict(checkpoint.get('meta', {}))
    return student, meta, len(select_state_dict(checkpoint)) - len(student)


def check_against_config(state: dict, student_config: str) -> None:
    """Load ``state`` into the ``model`` of ``student_config``, every tensor checked."""
    from mmkd_rs.registry import MODELS
    cfg = Config.fromfile(student_config)
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    load_checkpoint_to_model(MODELS.build(cfg.model), state, 'the extracted student',
                             target=f'the model of {student_config}',
                             hint='Give the student config the distillation config used.')


def extract_student(kd_ckpt: str, out: str, student_config: Optional[str] = None) -> dict:
    """Write the student of ``kd_ckpt`` to ``out``; return a short summary."""
    state, meta, dropped = student_state_dict(kd_ckpt)
    if student_config is not None:
        check_against_config(state, student_config)
    meta = {k: v for k, v in meta.items() if k not in ('epoch', 'iter')}
    meta['distilled_from'] = dict(checkpoint=osp.basename(kd_ckpt),
                                  sha256=file_sha256(kd_ckpt),
                                  teacher_sha256=meta.pop('teacher_sha256', None),
                                  teacher_checkpoints=meta.pop('teacher_checkpoints', None),
                                  cfg=meta.pop('cfg', None))
    meta.pop('teacher_weights_saved', None)
    if osp.dirname(out):
        os.makedirs(osp.dirname(out), exist_ok=True)
    torch.save(dict(meta=meta, state_dict=state), out)
    return dict(student_keys=len(state), dropped_keys=dropped, out=out)
