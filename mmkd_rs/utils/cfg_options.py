"""Checking ``--cfg-options`` keys against the config they override.

mmengine's ``Config.merge_from_dict`` adds any key it is given: a typo in a
top-level key (``train_dataloder.batch_size=1``) is silently ignored, one in a
leaf (``train_cfg.max_iter=10``) surfaces as a deep ``TypeError`` when the
component is built. :func:`check_cfg_options` refuses both before merging,
naming the key and its close matches.

A key is accepted when each of its dotted components exists in the config,
with these exceptions (a new key there is meaningful):

* the first component may be one of the runner's own settings
  (:data:`RUNTIME_KEYS`: ``randomness``, ``load_from``, ``load_strict``,
  ``resume``, ``work_dir``, ``launcher``, ``env_cfg``, ``default_scope``, ...);
* under a dict with a ``type`` (a component), a new key is accepted when the
  component takes it as an argument (e.g. a loss's ``temperature`` left at
  its default): the registered class's ``__init__`` names it, or takes any
  keyword (``**kwargs`` up to the base classes), or the type is not found;
* under a plain dict, a new key must be documented (:data:`DOCUMENTED_KEYS`:
  a dataloader's ``torch.utils.data.DataLoader`` arguments, ``randomness``'s
  ``seed`` / ``deterministic``, a teacher's ``cfg`` / ``ckpt`` / ``weight`` /
  ``inputs``, ...); plain dicts that a component reads as free-form options
  (``data_prefix``, a model's ``train_cfg`` / ``test_cfg``, ``metainfo``,
  ``paramwise_cfg``, ...) accept new keys;
* list items are addressed by index (``param_scheduler.1.end``), which must
  exist.

Everything below a new key is accepted as given.
"""
import difflib
import fnmatch
import importlib
import inspect
from typing import Iterable, List, Optional

from torch.utils.data import DataLoader

from .errors import UserError

__all__ = ['RUNTIME_KEYS', 'DOCUMENTED_KEYS', 'OPEN_DICTS', 'check_cfg_options',
           'cfg_option_problems']

#: Top-level keys the runner (``mmengine.runner.Runner``) and the tools read
#: whether or not the config writes them.
RUNTIME_KEYS = (
    'model', 'work_dir', 'train_dataloader', 'val_dataloader', 'test_dataloader',
    'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr', 'optim_wrapper',
    'param_scheduler', 'val_evaluator', 'test_evaluator', 'default_hooks', 'custom_hooks',
    'data_preprocessor', 'load_from', 'resume', 'launcher', 'env_cfg', 'log_processor',
    'log_level', 'visualizer', 'default_scope', 'randomness', 'experiment_name',
    'model_wrapper_cfg', 'find_unused_parameters', 'compile', 'runner_type',
    'custom_imports', 'load_strict', 'tta_model', 'tta_pipeline')

_LOADER_ARGS = tuple(inspect.signature(DataLoader).parameters) + ('num_batch_per_epoch', )
_LOOP_ARGS = ('type', 'by_epoch', 'max_epochs', 'max_iters', 'val_begin', 'val_interval',
              'dynamic_intervals')

#: New keys a plain dict (no ``type``) accepts, by dotted path pattern.
DOCUMENTED_KEYS = {
    'train_dataloader': _LOADER_ARGS,
    'val_dataloader': _LOADER_ARGS,
    'test_dataloader': _LOADER_ARGS,
    'randomness': ('seed', 'diff_rank_seed', 'deterministic'),
    'env_cfg': ('cudnn_benchmark', 'mp_cfg', 'dist_cfg', 'resource_limit'),
    'log_processor': ('type', 'window_size', 'by_epoch', 'custom_cfg', 'num_digits',
                      'log_with_hierarchy', 'mean_pattern'),
    'default_hooks': ('runtime_info', 'timer', 'sampler_seed', 'logger', 'param_scheduler',
                      'checkpoint', 'visualization'),
    'auto_scale_lr': ('enable', 'base_batch_size'),
    'train_cfg': _LOOP_ARGS,
    'val_cfg': ('type', 'fp16'),
    'test_cfg': ('type', 'fp16'),
    '*.teachers.*': ('cfg', 'ckpt', 'weight', 'inputs'),   # TeacherStudentDistill
}

#: Plain dicts whose keys are free-form options of the component reading them
#: (matched on the last path component, never at the top level).
OPEN_DICTS = ('data_prefix', 'metainfo', 'train_cfg', 'test_cfg', 'paramwise_cfg',
              'custom_keys', 'clip_grad', 'mp_cfg', 'dist_cfg', 'routing', 'backend_args')

#: Keys the builders take from a component's dict before calling its class.
_BUILDER_KEYS = ('_scope_', '_delete_', 'priority', 'convert_to_iter_based', 'constructor',
                 'paramwise_cfg')


def _registries():
    from mmkd_rs import registry
    return [obj for obj in vars(registry).values()
            if hasattr(obj, '_module_dict') and hasattr(obj, 'parent')]


def _lookup(name: str, regs) -> List[type]:
    found = []
    for reg in regs:
        node = reg
        while node is not None:
            obj = node._module_dict.get(name)
            if obj is not None and obj not in found:
                found.append(obj)
            node = node.parent
    return found


def _resolve_type(type_) -> List[type]:
    """Classes (or functions) registered under ``type_`` in any registry.

    Looks at what is registered; imports the registries' locations (modules
    only, no logging) when the name is not found yet.
    """
    if not isinstance(type_, str):
        return [type_] if callable(type_) else []
    name = type_.split('.', 1)[1] if '.' in type_ else type_
    regs = _registries()
    found = _lookup(name, regs)
    if not found:
        for reg in regs:
            node = reg
            while node is not None:
                for location in getattr(node, '_locations', []) or []:
                    try:
                        importlib.import_module(location)
                    except Exception:  # a missing optional package
                        pass
                node = node.parent
        found = _lookup(name, regs)
    return found


def _arguments(obj) -> Optional[set]:
    """Keyword arguments ``obj(**cfg)`` accepts; None when any is accepted.

    ``**kwargs`` of a class's ``__init__`` are followed to the base classes
    (they are passed on to ``super().__init__`` in the usual pattern).
    """
    names = set()
    chain = [c for c in inspect.getmro(obj) if '__init__' in vars(c)] \
        if inspect.isclass(obj) else [obj]
    for item in chain:
        func = item.__init__ if inspect.isclass(item) else item
        if inspect.isclass(item) and item is object:
            return None
        try:
            params = inspect.signature(func).parameters.values()
        except (TypeError, ValueError):
            return None
        names.update(p.name for p in params
                     if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
        if not any(p.kind == p.VAR_KEYWORD for p in params):
            return names - {'self'}
    return None


def _typed_accepts(node: dict, key: str) -> Optional[List[str]]:
    """None if the component of ``node`` accepts ``key``, else its argument names."""
    if key in _BUILDER_KEYS:
        return None
    candidates = _resolve_type(node['type'])
    known = []
    for obj in candidates:
        args = _arguments(obj)
        if args is None or key in args:
            return None
        known += sorted(args)
    return known if candidates else None


def _plain_accepts(path: List[str], key: str) -> Optional[List[str]]:
    """None if the plain dict at ``path`` accepts a new ``key``, else what it documents."""
    dotted = '.'.join(path)
    if len(path) > 1 and path[-1] in OPEN_DICTS:
        return None
    documented = []
    for pattern, keys in DOCUMENTED_KEYS.items():
        if fnmatch.fnmatchcase(dotted, pattern):
            if key in keys:
                return None
            documented += list(keys)
    return documented


def _close(key: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(set(map(str, names))), n=3, cutoff=0.6)
    return (' (did you mean ' + ' or '.join(f'"{c}"' for c in close) + '?)') if close else ''


def _where(path: List[str], node) -> str:
    name = f'"{".".join(path)}"'
    if isinstance(node, dict) and 'type' in node:
        type_ = node['type']
        name += f' ({type_ if isinstance(type_, str) else getattr(type_, "__name__", type_)})'
    return name


def _problem(cfg: dict, full_key: str) -> Optional[str]:
    """Why ``full_key`` cannot be set in ``cfg``; None when it can."""
    parts = full_key.split('.')
    if parts[0] not in cfg and parts[0] not in RUNTIME_KEYS:
        return (f'the config has no top-level key "{parts[0]}"' +
                _close(parts[0], list(cfg.keys()) + list(RUNTIME_KEYS)))
    node, path = cfg, []
    for part in parts:
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return (f'"{".".join(path)}" is a list of {len(node)} item(s): '
                        f'"{part}" is no index of it (0..{len(node) - 1})')
            node, path = node[int(part)], path + [part]
            continue
        if not isinstance(node, dict):
            return (f'"{".".join(path)}" is {type(node).__name__} {node!r} in the config, not '
                    f'a dict: "{part}" cannot be set under it (set "{".".join(path)}" itself)')
        if part in node:
            node, path = node[part], path + [part]
            continue
        if not path:   # a runtime key the config does not write
            return None
        known = _typed_accepts(node, part) if 'type' in node else _plain_accepts(path, part)
        if known is None:
            return None
        what = 'key or argument' if 'type' in node else 'key'
        return (f'{_where(path, node)} has no {what} "{part}"' +
                _close(part, list(node.keys()) + list(known)))
    return None


def cfg_option_problems(cfg: dict, options: dict) -> List[str]:
    """One sentence per key of ``options`` that ``cfg`` does not have."""
    return [f'--cfg-options {key}: {why}.' for key in options
            for why in [_problem(cfg, key)] if why]


def check_cfg_options(cfg: dict, options: dict, config_path: str = 'the config') -> None:
    """Raise :class:`UserError` naming every unknown key of ``options``.

    Args:
        cfg (dict): The config before the options are merged.
        options (dict): ``{dotted key: value}`` as parsed by ``DictAction``.
        config_path (str): Named in the message.
    """
    problems = cfg_option_problems(cfg, options)
    if problems:
        raise UserError(
            f'config "{config_path}": ' + ' '.join(problems) + ' A --cfg-options key must '
            'exist in the config; new keys are accepted only for the runner\'s own settings '
            '(randomness, load_from, load_strict, resume, env_cfg, ...), for arguments a '
            'component takes but the config leaves at their default (e.g. a loss\'s '
            'temperature), and for documented keys of plain dicts. To add another key, '
            'write it into the config file.')
