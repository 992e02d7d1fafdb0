"""Building, loading and freezing teachers.

A teacher is given as a model config dict or as the path of a config file
(whose ``model`` field is used), plus a checkpoint. Weights are loaded by
:func:`~mmkd_rs.engine.strict_loading.load_checkpoint_to_model` (weights-only,
every tensor checked); the file's sha256 identifies the teacher in logs and
in every KD checkpoint's meta.
"""
import hashlib
import os.path as osp
from typing import Optional, Union

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from torch import nn

from mmkd_rs.engine.strict_loading import load_checkpoint_to_model
from mmkd_rs.utils.errors import UserError

from .wiring import DistillConfigError


class TeacherCheckpointError(UserError, RuntimeError):
    """A teacher has no checkpoint, or its checkpoint file is missing.

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


def load_frozen_weights(model: nn.Module, ckpt: str, where: str, missing: UserError,
                        target: str, hint: str) -> str:
    """Load the local file ``ckpt`` into ``model``, every tensor checked.

    Args:
        where (str): The checkpoint in messages and in the log line.
        missing (UserError): Raised when the file does not exist.
        target, hint (str): See
            :func:`~mmkd_rs.engine.strict_loading.load_checkpoint_to_model`.

    Returns:
        str: The file's sha256.

    Raises:
        CheckpointMismatchError: a tensor is missing, unexpected or of
            another shape (a distillation checkpoint among them).
    """
    if not osp.isfile(ckpt):
        raise missing
    load_checkpoint_to_model(model, ckpt, where, target=target, hint=hint)
    sha = file_sha256(ckpt)
    print_log(f'Loaded {where} (sha256 {sha})', logger='current')
    return sha


def load_teacher_weights(model: nn.Module, ckpt: str, name: str) -> str:
    """Load teacher ``name``'s ``ckpt`` into ``model``; return the file's sha256."""
    where = f'teacher {name!r} checkpoint {ckpt!r}'
    return load_frozen_weights(
        model, ckpt, where, TeacherCheckpointError(
            f'{where} does not exist. Train the teacher first or point to its weights '
            '(e.g. --cfg-options model.teacher_ckpt=PATH).'),
        'the teacher model',
        'Check that the teacher config is the one the checkpoint was trained with.')


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
