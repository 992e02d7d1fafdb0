"""One path that loads weights into a model and reports every mismatch.

``load_from``, ``--resume``, the checkpoint of ``tools/test.py``, teachers,
feature networks, the deployed student and benchmarked networks all go
through :func:`load_checkpoint_to_model`, which follows mmengine's
``load_checkpoint``: the file is read by :class:`CheckpointLoader` (every
scheme weights-only, :mod:`mmkd_rs.utils.checkpoint_safety`), its keys are
changed by ``revise_keys`` and the tensors are copied by mmengine's
``load_state_dict``. Two additions:

* ``prefix`` keeps one part of a checkpoint, e.g. ``'student.'`` of a
  distillation checkpoint (mmengine's ``PretrainedInit(prefix=...)``);
* missing, unexpected and mis-shaped tensors are taken from that same copy
  and, with ``strict``, raised as one :class:`CheckpointMismatchError`
  paragraph (their counts and first names), a user error: the tools print
  it and exit with status 2. Without ``strict`` the paragraph is a warning.

mmengine's :class:`Runner` loads with ``strict=False``, so a checkpoint of
another model only logs its mismatches and the run goes on with a partly
random network; :class:`StrictLoadRunner` refuses it unless the config sets
``load_strict=False``. It also drops ``meta['config']``: ``Runner.resume``
would execute that text as a Python config (to compare GPU counts), so a
checkpoint holding only strings could run code on ``--resume``. mmengine
itself never writes that key (it stores the config as ``meta['cfg']``).
"""
import re
from collections import OrderedDict
from typing import Optional, Sequence, Tuple, Union

from mmengine.logging import print_log
from mmengine.model import BaseTTAModel, is_model_wrapper
from mmengine.runner import CheckpointLoader, Runner, load_state_dict
from torch import nn

from mmkd_rs.utils.errors import UserError

__all__ = ['CheckpointMismatchError', 'MODULE_PREFIX', 'select_state_dict',
           'load_checkpoint_to_model', 'StrictLoadRunner']

#: mmengine's default ``revise_keys``: drop a (DDP) wrapper's ``module.``.
MODULE_PREFIX = ((r'^module\.', ''), )

#: How to load only the matching tensors on purpose with the tools.
LOAD_STRICT_HINT = ('It was most likely trained with another config. To load only the '
                    'matching tensors on purpose (e.g. to fine-tune from another model), '
                    'set load_strict=False in the config or pass --cfg-options '
                    'load_strict=False.')


class CheckpointMismatchError(UserError):
    """A checkpoint's tensors do not match the model it is loaded into."""


_SIZE_MISMATCH = re.compile(r'size mismatch for ([^:]+): copying a param with shape '
                            r'torch.Size\((\[.*?\])\) from checkpoint, the shape in current '
                            r'model is torch.Size\((\[.*?\])\)')


def select_state_dict(checkpoint: dict, prefix: str = '',
                      revise_keys: Sequence[Tuple[str, str]] = MODULE_PREFIX) -> OrderedDict:
    """The tensors of ``checkpoint`` as ``load_state_dict`` wants them.

    Args:
        checkpoint (dict): A loaded checkpoint, ``{'state_dict': ...}`` or
            the state dict itself.
        prefix (str): Keep only the keys starting with it, without it.
        revise_keys: ``(pattern, replacement)`` regular expressions applied
            to every key first, as in mmengine's ``load_checkpoint``.
    """
    state = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state, '_metadata', OrderedDict())
    for pattern, replacement in revise_keys:
        state = OrderedDict((re.sub(pattern, replacement, k), v) for k, v in state.items())
    if prefix:
        state = OrderedDict((k[len(prefix):], v) for k, v in state.items()
                            if k.startswith(prefix))
        metadata = OrderedDict((k[len(prefix):], v) for k, v in metadata.items()
                               if k.startswith(prefix))
    state._metadata = metadata
    return state


def _copy_tensors(model: nn.Module, state: OrderedDict) -> tuple:
    """mmengine's ``load_state_dict(model, state)``; ``(missing, unexpected,
    misshaped)`` as it found them (``num_batches_tracked`` never missing).

    The lists are those torch's ``_load_from_state_dict`` fills during
    mmengine's pass, read by hooks on the outermost module once every
    module's own load hooks have run (before mmengine adds its log lines).
    """
    root = model.module if is_model_wrapper(model) or isinstance(model, BaseTTAModel) \
        else model
    found = {}

    def keep_lists(module, state_dict, prefix, metadata, strict, missing, unexpected, errors):
        found['lists'] = (missing, unexpected, errors)

    def read_lists(module, incompatible_keys):
        found['read'] = [list(x) for x in found['lists']]

    handles = (root.register_load_state_dict_pre_hook(keep_lists),
               root.register_load_state_dict_post_hook(read_lists))
    try:
        load_state_dict(model, state, strict=False, logger='silent')
    finally:
        for handle in handles:
            handle.remove()
    missing, unexpected, errors = found['read']
    misshaped = []
    for err in errors:
        match = _SIZE_MISMATCH.search(err)
        misshaped.append(f'{match.group(1)}: checkpoint {match.group(2)} vs model '
                         f'{match.group(3)}' if match else err.splitlines()[0])
    return [k for k in missing if not k.endswith('num_batches_tracked')], unexpected, misshaped


def _some(keys, n=3) -> str:
    return ', '.join(keys[:n]) + (', ...' if len(keys) > n else '')


def mismatch_message(name: str, target: str, missing, unexpected, misshaped) -> str:
    """One sentence on how checkpoint ``name`` differs from ``target``."""
    parts = [f'{what}: {len(keys)} (e.g. {_some(keys)})' for keys, what in (
        (missing, 'model tensors missing from it'),
        (unexpected, 'tensors of it not in the model'),
        (misshaped, 'tensors of another shape')) if keys]
    text = f'{name} does not match {target}: ' + '; '.join(parts) + '.'
    if any(k.startswith('student.') for k in unexpected):
        text += (' It is a distillation checkpoint ("student.*" tensors): extract its '
                 'student with tools/model_converters/extract_student.py.')
    return text


def load_checkpoint_to_model(model: nn.Module, checkpoint: Union[str, dict],
                             name: Optional[str] = None, strict: bool = True,
                             prefix: str = '',
                             revise_keys: Sequence[Tuple[str, str]] = MODULE_PREFIX,
                             target: str = 'the model of this config',
                             hint: str = LOAD_STRICT_HINT, map_location='cpu') -> dict:
    """Load ``checkpoint`` into ``model``, every tensor checked.

    Args:
        model (nn.Module): The network (a model wrapper or TTA model is
            entered, as mmengine does).
        checkpoint (str | dict): A file name or URL, or a loaded checkpoint.
        name (str, optional): The checkpoint in messages; default
            ``checkpoint "<file>"``.
        strict (bool): Raise on any mismatch; without it the mismatches are
            logged and the matching tensors loaded.
        prefix (str): Load only the keys under ``prefix`` (prefix removed),
            e.g. ``'student.'``; none there is a mismatch.
        revise_keys: Key rewrites applied before ``prefix``; see
            :func:`select_state_dict`.
        target (str): The model in messages.
        hint (str): Last sentence of a strict mismatch: what to check.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        CheckpointMismatchError: with ``strict``, a tensor is missing,
            unexpected or of another shape; the checkpoint is not a dict.
    """
    if isinstance(checkpoint, str):
        name = name or f'checkpoint "{checkpoint}"'
        checkpoint = CheckpointLoader.load_checkpoint(checkpoint, map_location=map_location)
    name = name or 'checkpoint'
    if not isinstance(checkpoint, dict):
        raise CheckpointMismatchError(f'{name} is a {type(checkpoint).__name__}, not a dict '
                                      "of tensors or a dict with 'state_dict'.")
    state = select_state_dict(checkpoint, prefix, revise_keys)
    if prefix and not state:
        raise CheckpointMismatchError(f'{name} holds no tensors under "{prefix}" (first keys: '
                                      f"{_some(list(checkpoint.get('state_dict', checkpoint)))})"
                                      f'. {hint}')
    mismatch = _copy_tensors(model, state)
    if any(mismatch):
        text = mismatch_message(name, target, *mismatch)
        if strict:
            raise CheckpointMismatchError(f'{text} {hint}')
        print_log(text + ' Only the matching tensors were loaded.', logger='current',
                  level=30)
    return checkpoint


class StrictLoadRunner(Runner):
    """mmengine's :class:`Runner` loading checkpoints strictly by default.

    ``load_from``, ``resume`` and the checkpoint of ``tools/test.py`` all go
    through :meth:`load_checkpoint`; ``strict`` defaults to the config's
    ``load_strict`` (True when absent). ``meta['config']`` is dropped before
    ``resume`` could execute it.
    """

    def load_checkpoint(self, filename: str, map_location='cpu', strict=None,
                        revise_keys=MODULE_PREFIX):
        if strict is None:
            strict = self.cfg.get('load_strict', True)
        checkpoint = CheckpointLoader.load_checkpoint(filename, map_location=map_location)
        if isinstance(checkpoint.get('meta'), dict) and 'config' in checkpoint['meta']:
            del checkpoint['meta']['config']
            self.logger.warning(f'Ignored meta["config"] of checkpoint {filename}: resuming '
                                'would run it as Python code.')
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        load_checkpoint_to_model(model, checkpoint, f'checkpoint "{filename}"', strict,
                                 revise_keys=revise_keys)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint
