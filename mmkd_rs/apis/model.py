"""Build the deployed network of a config and load its weights.

A distillation config (``TeacherStudentDistill``) deploys its student: the
student segmentor is built alone (no teacher is built or read) with the data
preprocessor the distillation model fed it. The checkpoint may be a plain
segmentor checkpoint (e.g. written by
``tools/model_converters/extract_student.py``) or a distillation checkpoint,
whose ``student.*`` tensors are used. Either way every tensor must match.
"""
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmkd_rs.utils.tool_utils import check_checkpoint, load_config

__all__ = ['init_model', 'deployed_model_cfg', 'load_weights']


def deployed_model_cfg(cfg: Config) -> tuple:
    """``(segmentor cfg, data preprocessor cfg or None)`` of the network to deploy.

    For a ``TeacherStudentDistill`` model: its student, with the
    distillation model's ``data_preprocessor`` when it sets one.
    """
    from mmkd_rs.distill.parts import is_distill_model_cfg, student_cfg
    if is_distill_model_cfg(cfg.model):
        return student_cfg(cfg.model), cfg.model.get('data_preprocessor')
    return cfg.model, None


def load_weights(model: torch.nn.Module, checkpoint: str) -> None:
    """Load ``checkpoint`` into ``model`` with every tensor checked.

    A distillation checkpoint contributes its ``student.*`` tensors (prefix
    removed); teacher and distiller tensors are left out.

    Raises:
        UserError: the file is missing;
            :class:`~mmkd_rs.engine.strict_loading.CheckpointMismatchError`:
            a tensor is missing, unexpected or of another shape.
    """
    from mmkd_rs.distill.parts import load_part
    check_checkpoint(checkpoint)
    load_part(model, checkpoint, target='the network of the config',
              hint='Pass the config the checkpoint was trained with (for a distillation '
              'checkpoint: the distillation config or its student config).')


def init_model(config: Union[str, Config], checkpoint: Optional[str] = None,
               device: str = 'cpu', cfg_options: Optional[dict] = None) -> torch.nn.Module:
    """Build the deployed segmentor of ``config`` in eval mode, weights loaded.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Weights; None keeps the initialisation.
        device (str): e.g. ``'cpu'`` or ``'cuda:0'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        nn.Module: The segmentor (mmseg ``EncoderDecoder`` family) with
        ``model.cfg`` set to the config.
    """
    from mmkd_rs.registry import MODELS
    if isinstance(config, str):
        cfg = load_config(config, cfg_options)
    else:
        cfg = config.copy()
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    model_cfg, preprocessor_cfg = deployed_model_cfg(cfg)
    model = MODELS.build(model_cfg)
    if preprocessor_cfg is not None:
        model.data_preprocessor = MODELS.build(preprocessor_cfg)
    if checkpoint is not None:
        load_weights(model, checkpoint)
    model.cfg = cfg
    return model.to(device).eval()
