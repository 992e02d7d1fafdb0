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
from mmengine.runner.checkpoint import CheckpointLoader

from .teacher import extract_state_dict, file_sha256

STUDENT_PREFIX = 'student.'


class StudentExtractionError(RuntimeError):
    """The checkpoint is not a distillation checkpoint or does not fit the student."""


def student_state_dict(kd_ckpt: str):
    """``(student state_dict, KD checkpoint meta, dropped key count)``."""
    checkpoint = CheckpointLoader.load_checkpoint(kd_ckpt, map_location='cpu')
    state = extract_state_dict(checkpoint, kd_ckpt)
    student = {k[len(STUDENT_PREFIX):]: v for k, v in state.items()
               if k.startswith(STUDENT_PREFIX)}
    if not student:
        raise StudentExtractionError(
            f'{kd_ckpt}: no "student.*" weights; this is not a TeacherStudentDistill '
            f'checkpoint (first keys: {list(state)[:5]}).')
    meta = dict(checkpoint.get('meta', {})) if isinstance(checkpoint, dict) else {}
    return student, meta, len(state) - len(student)


def check_against_config(state: dict, student_config: str) -> None:
    """Load ``state`` with strict keys into the ``model`` of ``student_config``."""
    from mmkd_rs.registry import MODELS
    cfg = Config.fromfile(student_config)
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    model = MODELS.build(cfg.model)
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as err:
        raise StudentExtractionError(
            f'the extracted student does not match {student_config}: {err}') from None
    missing = [k for k in result.missing_keys if not k.endswith('num_batches_tracked')]
    if missing or result.unexpected_keys:
        raise StudentExtractionError(
            f'the extracted student does not match {student_config}:\n'
            f'  missing keys: {missing}\n  unexpected keys: {result.unexpected_keys}')


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
