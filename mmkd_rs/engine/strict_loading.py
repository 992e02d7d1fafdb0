"""Strict checkpoint loading for ``tools/train.py`` and ``tools/test.py``.

mmengine's :class:`Runner` loads ``load_from``, ``--resume`` and the
checkpoint under test with ``strict=False``: a checkpoint of another model
only logs its missing and unexpected keys, and the run goes on with a
partly random network. :class:`StrictLoadRunner` refuses it with
:class:`CheckpointMismatchError` (one paragraph: how many tensors are
missing, unexpected or of another shape, the first few, and how to load
partially on purpose) unless the config sets ``load_strict=False``.

It also drops ``meta['config']`` from a loaded checkpoint: ``Runner.resume``
would execute that text as a Python config (to compare GPU counts), so a
checkpoint holding only strings could run code on ``--resume``. mmengine
itself never writes that key (it stores the config as ``meta['cfg']``).
"""
import re
from collections import OrderedDict

from mmengine.logging import print_log
from mmengine.model import BaseTTAModel, is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint
from torch.nn.modules.module import _IncompatibleKeys

from mmkd_rs.utils.errors import UserError

__all__ = ['CheckpointMismatchError', 'load_state_dict_checked', 'mismatch_message',
           'load_checkpoint_to_model', 'StrictLoadRunner']


class CheckpointMismatchError(UserError):
    """A checkpoint's tensors do not match the model it is loaded into."""


_SIZE_MISMATCH = re.compile(r'size mismatch for ([^:]+): copying a param with shape '
                            r'torch.Size\((\[.*?\])\) from checkpoint, the shape in current '
                            r'model is torch.Size\((\[.*?\])\)')


def load_state_dict_checked(module, state_dict) -> tuple:
    """Copy ``state_dict`` into ``module`` as mmengine's ``load_state_dict`` does.

    Same traversal (model wrappers and TTA models are entered, each
    module's load-state-dict post hooks may drop keys it accounts for),
    but the mismatches are returned instead of only logged.

    Returns:
        tuple: ``(missing, unexpected, misshaped)``: lists of keys, BatchNorm
        ``num_batches_tracked`` left out of ``missing``; ``misshaped`` holds
        ``'key: checkpoint [..] vs model [..]'`` strings (or torch's message).
    """
    missing, unexpected, errors = [], [], []
    metadata = getattr(state_dict, '_metadata', None)

    def load(mod, local, prefix=''):
        if is_model_wrapper(mod) or isinstance(mod, BaseTTAModel):
            mod = mod.module
        meta = {} if metadata is None else metadata.get(prefix[:-1], {})
        mod._load_from_state_dict(local, prefix, meta, True, missing, unexpected, errors)
        for name, child in mod._modules.items():
            if child is not None:
                sub = prefix + name + '.'
                load(child, {k: v for k, v in local.items() if k.startswith(sub)}, sub)
        incompatible = _IncompatibleKeys(missing, unexpected)
        for hook in mod._load_state_dict_post_hooks.values():
            hook(mod, incompatible)

    load(module, dict(state_dict))
    misshaped = []
    for err in errors:
        match = _SIZE_MISMATCH.search(err)
        misshaped.append(f'{match.group(1)}: checkpoint {match.group(2)} vs model '
                         f'{match.group(3)}' if match else err.splitlines()[0])
    missing = [k for k in missing if not k.endswith('num_batches_tracked')]
    return missing, unexpected, misshaped


def _some(keys, n=3) -> str:
    return ', '.join(keys[:n]) + (', ...' if len(keys) > n else '')


def mismatch_message(source: str, missing, unexpected, misshaped, strict: bool) -> str:
    """One paragraph on how checkpoint ``source`` differs from the model."""
    parts = [f'{what}: {len(keys)} (e.g. {_some(keys)})' for keys, what in (
        (missing, 'model tensors missing from it'),
        (unexpected, 'tensors of it not in the model'),
        (misshaped, 'tensors of another shape')) if keys]
    text = f'checkpoint "{source}" does not match the model of this config: ' + \
        '; '.join(parts) + '.'
    if unexpected and all(k.startswith('student.') for k in unexpected):
        text += (' It is a distillation checkpoint: extract its student with '
                 'tools/model_converters/extract_student.py, or use the distillation config.')
    if not strict:
        return text + ' Only the matching tensors were loaded (load_strict=False).'
    return text + (' It was most likely trained with another config. To load only the '
                   'matching tensors on purpose (e.g. to fine-tune from another model), '
                   'set load_strict=False in the config or pass --cfg-options '
                   'load_strict=False.')


def load_checkpoint_to_model(model, checkpoint, source: str, strict: bool = True,
                             revise_keys=((r'^module\.', ''), )) -> None:
    """mmengine's ``_load_checkpoint_to_model`` with mismatches as one paragraph.

    Raises:
        CheckpointMismatchError: with ``strict``, a tensor is missing,
            unexpected or of another shape (without ``strict`` it is logged).
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state_dict, '_metadata', OrderedDict())
    for pattern, replacement in revise_keys:
        state_dict = OrderedDict((re.sub(pattern, replacement, k), v)
                                 for k, v in state_dict.items())
    state_dict._metadata = metadata
    mismatch = load_state_dict_checked(model, state_dict)
    if not any(mismatch):
        return
    text = mismatch_message(source, *mismatch, strict=strict)
    if strict:
        raise CheckpointMismatchError(text)
    print_log(text, logger='current', level=30)


class StrictLoadRunner(Runner):
    """mmengine's :class:`Runner` loading checkpoints strictly by default.

    ``load_from``, ``resume`` and the checkpoint of ``tools/test.py`` all go
    through :meth:`load_checkpoint`; ``strict`` defaults to the config's
    ``load_strict`` (True when absent). ``meta['config']`` is dropped before
    ``resume`` could execute it.
    """

    def load_checkpoint(self, filename: str, map_location='cpu', strict=None,
                        revise_keys=((r'^module\.', ''), )):
        if strict is None:
            strict = self.cfg.get('load_strict', True)
        checkpoint = _load_checkpoint(filename, map_location=map_location)
        if isinstance(checkpoint.get('meta'), dict) and 'config' in checkpoint['meta']:
            del checkpoint['meta']['config']
            self.logger.warning(f'Ignored meta["config"] of checkpoint {filename}: resuming '
                                'would run it as Python code.')
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        load_checkpoint_to_model(model, checkpoint, filename, strict, revise_keys)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint
