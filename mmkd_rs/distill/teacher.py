"""Building, loading and freezing teachers.

A teacher is given as a model config dict or as the path of a config file
(whose ``model`` field is used), plus a checkpoint. Weights are loaded through
mmengine's :class:`CheckpointLoader` (so the suite's weights-only safe loader
applies) with strict key checking; the file's sha256 identifies the teacher
in logs and in every KD checkpoint's meta.
"""
import hashlib
import os.path as osp
from typing import Dict, Optional, Union

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader
from torch import nn

from ..utils.errors import UserError
from .wiring import DistillConfigError


class TeacherCheckpointError(UserError, RuntimeError):
    """A teacher checkpoint is missing or does not match the teacher model.

    A user error: the tools print it as one paragraph and exit with status 2.
    """


def resolve_model_cfg(cfg: Union[str, dict], where: str) -> dict:
    """A model config dict, read from ``cfg['model']`` when ``cfg`` is a file path."""
    if isinstance(cfg, str):
        if not osp.isfile(cfg):
            raise DistillConfigError(f'{where}: config file {cfg!r} does not exist')
        file_cfg = Config.fromfile(cfg)
        if 'model' not in file_cfg:
            raise DistillConfigError(f'{where}: config file {cfg!r} has no `model` field')
        return ConfigDict(file_cfg.model)
    if isinstance(cfg, dict) and 'type' in cfg:
        return ConfigDict(cfg)
    raise DistillConfigError(f'{where}: expected a model config dict with `type` or a '
                             f'config file path, got {type(cfg).__name__}: {cfg!r}')


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            digest.update(block)
    return digest.hexdigest()


def extract_state_dict(checkpoint, source: str) -> Dict:
    """``checkpoint['state_dict']`` or the plain dict, without a ``module.`` prefix."""
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise TeacherCheckpointError(f'{source}: expected a dict of tensors or a dict with '
                                     f"'state_dict', got {type(checkpoint).__name__}")
    return {(k[len('module.'):] if k.startswith('module.') else k): v
            for k, v in state.items()}


def load_state_strictly(model: nn.Module, state: Dict, where: str, error: type,
                        target: str, hint: str) -> None:
    """``model.load_state_dict(state)`` with every key checked.

    BatchNorm's ``num_batches_tracked`` may be missing; any other missing or
    unexpected key, or a shape mismatch, raises ``error`` listing them all.

    Args:
        where (str): What is being loaded, for the message.
        error (type): Exception class to raise.
        target (str): The model, for the message (e.g. 'the teacher model').
        hint (str): Last line of the mismatch message: what to check.
    """
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as err:
        raise error(f'{where} does not fit {target}: {err}') from None
    missing = [k for k in result.missing_keys if not k.endswith('num_batches_tracked')]
    if missing or result.unexpected_keys:
        raise error(
            f'{where} does not match {target}.\n'
            f'  missing keys ({len(missing)}): {missing}\n'
            f'  unexpected keys ({len(result.unexpected_keys)}): {result.unexpected_keys}\n'
            + hint)


def load_teacher_weights(model: nn.Module, ckpt: str, name: str) -> str:
    """Load ``ckpt`` into ``model`` with strict keys; return the file's sha256.

    Raises:
        TeacherCheckpointError: missing file, missing or unexpected keys
            (all listed), or shape mismatches.
    """
    where = f'teacher {name!r} checkpoint {ckpt!r}'
    if not osp.isfile(ckpt):
        raise TeacherCheckpointError(
            f'{where} does not exist. Train the teacher first or point to its weights '
            f'(e.g. --cfg-options model.teacher_ckpt=PATH).')
    state = extract_state_dict(CheckpointLoader.load_checkpoint(ckpt, map_location='cpu'),
                               where)
    if any(k.startswith('student.') for k in state):
        raise TeacherCheckpointError(
            f'{where} is a distillation checkpoint; extract its student first with '
            'tools/model_converters/extract_student.py.')
    load_state_strictly(model, state, where, TeacherCheckpointError, 'the teacher model',
                        'Check that the teacher config is the one the checkpoint was trained '
                        'with.')
    sha = file_sha256(ckpt)
    print_log(f'Teacher {name!r}: loaded {ckpt} (sha256 {sha})', logger='current')
    return sha


def freeze(model: nn.Module) -> nn.Module:
    """No gradients, eval mode, and never re-initialised by ``init_weights``."""
    for param in model.parameters():
        param.requires_grad_(False)
    model.eval()
    if hasattr(model, 'is_init'):
        model.is_init = True
    return model


def build_teacher(model_cfg: dict, ckpt: Optional[str], name: str,
                  allow_random: bool, registry) -> tuple:
    """Build, load and freeze one teacher; return ``(model, sha256 or None)``."""
    model = registry.build(model_cfg)
    if ckpt is None:
        if not allow_random:
            raise TeacherCheckpointError(
                f'teacher {name!r} has no checkpoint: a distillation run never proceeds '
                'with a randomly initialised teacher. Set its ckpt (for a single teacher '
                '`teacher_ckpt`, e.g. --cfg-options model.teacher_ckpt=PATH); '
                'allow_random_teacher=True exists for unit tests and benchmarks only.')
        print_log(f'!!! Teacher {name!r} is RANDOMLY INITIALISED (allow_random_teacher=True). '
                  'Results of this run are meaningless as distillation. !!!',
                  logger='current', level=30)
        sha = None
    else:
        sha = load_teacher_weights(model, ckpt, name)
    return freeze(model), sha
