"""Frozen feature networks for perceptual (feature-space) distill losses.

A feature network maps an image-like tensor ``[B, C, H, W]`` to one feature
map or a tuple of them (e.g. the 4 stages of a ResNet). It is given either as

* ``dict(teacher='teacher', module='backbone.encoder')``: a submodule of a
  frozen teacher of the distillation model, bound by the distiller at build
  time (:class:`~mmkd_rs.distill.distillers.TSKDDistiller`), or
* ``dict(cfg=<model config dict or config file path>, ckpt=<path>,
  module=None, allow_random=False)``: a network built from MODELS, loaded with
  strict keys from ``ckpt`` (the whole model of ``cfg``), then, when
  ``module`` is set, reduced to that submodule (e.g. ``'backbone.encoder'`` of
  a segmentor checkpoint).

Either way the network is frozen: parameters without gradients, eval mode,
never re-initialised. Gradients still flow *through* it to its input.
"""
from typing import Optional

from mmengine.logging import print_log
from torch import nn

from mmkd_rs.registry import MODELS

from mmkd_rs.utils.errors import UserError

from .teacher import freeze, load_frozen_weights, resolve_model_cfg
from .wiring import DistillConfigError, check_name

TEACHER_KEYS = ('teacher', 'module')
BUILD_KEYS = ('cfg', 'ckpt', 'module', 'allow_random')


class FeatureNetCheckpointError(UserError, RuntimeError):
    """A feature network has no checkpoint, or its checkpoint file is missing."""


def check_feature_net_spec(spec, where: str) -> str:
    """Validate a feature network spec; return ``'teacher'`` or ``'build'``."""
    if not isinstance(spec, dict):
        raise DistillConfigError(
            f"{where}: feature_net must be dict(teacher='teacher', module='backbone.encoder') "
            f'or dict(cfg=..., ckpt=..., module=None), got {spec!r}')
    if ('teacher' in spec) == ('cfg' in spec):
        raise DistillConfigError(f"{where}: feature_net needs exactly one of 'teacher' "
                                 f"(borrow a teacher's submodule) or 'cfg' (build a network), "
                                 f'got keys {sorted(spec)}')
    kind = 'teacher' if 'teacher' in spec else 'build'
    for key in spec:
        check_name(key, TEACHER_KEYS if kind == 'teacher' else BUILD_KEYS,
                   'feature_net key', where)
    return kind


def get_submodule(model: nn.Module, path: Optional[str], where: str) -> nn.Module:
    """``model`` itself for an empty ``path``, else its submodule at dotted ``path``."""
    if not path:
        return model
    modules = dict(model.named_modules())
    modules.pop('', None)
    check_name(path, modules, f'module path in {type(model).__name__}', where)
    return modules[path]


def build_feature_net(spec: dict, where: str) -> nn.Module:
    """Build, strictly load and freeze a ``dict(cfg=..., ckpt=...)`` feature network."""
    check_feature_net_spec(spec, where)
    model = MODELS.build(resolve_model_cfg(spec['cfg'], f'{where} feature_net.cfg'))
    ckpt = spec.get('ckpt')
    if ckpt is None:
        if not spec.get('allow_random', False):
            raise FeatureNetCheckpointError(
                f'{where}: feature_net has no ckpt. A randomly initialised feature network '
                'gives a meaningless loss; set feature_net.ckpt (allow_random=True exists '
                'for unit tests only).')
        print_log(f'!!! {where}: feature network is RANDOMLY INITIALISED '
                  '(allow_random=True). !!!', logger='current', level=30)
    else:
        ckpt_where = f'{where}: feature network checkpoint {ckpt!r}'
        load_frozen_weights(model, ckpt, ckpt_where,
                            FeatureNetCheckpointError(f'{ckpt_where} does not exist'),
                            'the network built from `cfg`',
                            'Give the config the checkpoint was trained with (and `module` '
                            'to use a part).')
    return freeze(get_submodule(model, spec.get('module'), f'{where} feature_net.module'))
