"""Save the random number generators' states in checkpoints and restore them
on resume, so that ``--resume`` continues a run instead of restarting its
random streams (dropout, random sampling inside models and losses)."""
import contextlib
import random

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmkd_rs.registry import HOOKS

__all__ = ['RNGStateHook', 'get_rng_state', 'set_rng_state', 'rng_untouched',
           'private_generator', 'module_generators']


def get_rng_state() -> dict:
    """States of Python's, numpy's and torch's (CPU and CUDA) generators.

    Everything returned is weights-only-safe (tensors, ndarrays, ints, tuples).
    """
    state = dict(python=random.getstate(), numpy=np.random.get_state(),
                 torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Inverse of :func:`get_rng_state`."""
    random.setstate(_as_tuple(state['python']))
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        cuda = state['cuda']
        if len(cuda) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(cuda)


@contextlib.contextmanager
def rng_untouched():
    """Run a block without moving Python's, numpy's and torch's generators.

    The block may draw (e.g. the default initialisation of modules it
    builds); afterwards every generator is where it was before the block,
    so the draws that follow are the ones they would be without it.
    """
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def private_generator(seed=None) -> torch.Generator:
    """A CPU generator of a module's own random draws (e.g. a loss's sampling).

    Seeded with ``seed``, or with the run's seed (``torch.initial_seed()``,
    which ``randomness.seed`` sets) when ``None``. Drawing from it never
    moves the global generators, so a module's draws do not change the
    draws of anything else (dropout, augmentation). Draw on the CPU and move
    the result: ``torch.randperm(n, generator=g).to(device)``.
    """
    generator = torch.Generator()
    generator.manual_seed(int(seed) if seed is not None else torch.initial_seed())
    return generator


def module_generators(model: torch.nn.Module) -> dict:
    """``name -> torch.Generator`` of every submodule with a ``generator``."""
    return {name: module.generator for name, module in model.named_modules()
            if isinstance(getattr(module, 'generator', None), torch.Generator)}


def _unwrap(model):
    return model.module if is_model_wrapper(model) else model


def _as_tuple(x):
    return tuple(_as_tuple(v) for v in x) if isinstance(x, (list, tuple)) else x


class _RestoreAfterSkip:
    """Proxy of a train loop's ``dataloader_iterator`` for a resumed run.

    On resume mmengine's ``IterBasedTrainLoop`` draws the ``iter`` batches
    that were already trained, in the main process, to skip them; with
    ``num_workers=0`` their random transforms draw from the main process's
    generators. The proxy passes those ``skip`` batches through, sets the
    checkpoint's states just before the first new batch is drawn, and then
    puts the loop's own iterator back.
    """

    def __init__(self, loop, state: dict, skip: int, logger):
        self._loop, self._state, self._skip, self._logger = loop, state, skip, logger
        self._inner = loop.dataloader_iterator

    def __iter__(self):
        return self

    def __next__(self):
        if self._skip > 0:
            self._skip -= 1
            return next(self._inner)
        set_rng_state(self._state)
        self._loop.dataloader_iterator = self._inner
        self._logger.info('Restored RNG states (python, numpy, torch) from checkpoint.')
        return next(self._inner)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Store RNG states under ``checkpoint['meta']['rng_state']``.

    Besides the global generators, the private generators of the model's
    modules (:func:`private_generator`, under ``modules``) are stored and
    restored.

    On resume the states are set where the uninterrupted run was when it
    saved the checkpoint: just before the first batch after the skipped
    ones is drawn (iteration-based loops, see :class:`_RestoreAfterSkip`),
    or in ``before_train`` (epoch-based loops, which skip nothing).
    Validation leaves the generators as it found them (creating its
    dataloader iterator alone draws from torch's), so a run validated
    right after a checkpoint continues from the saved states, and
    ``val_interval`` does not change the training.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        self._pending = None
        self._before_val = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        # a checkpoint saved during validation (best_*.pth) gets the states
        # training continues from
        state = self._before_val if self._before_val is not None else get_rng_state()
        state = dict(state, modules={name: g.get_state() for name, g in
                                     module_generators(_unwrap(runner.model)).items()})
        checkpoint.setdefault('meta', {})['rng_state'] = state

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._pending = checkpoint.get('meta', {}).get('rng_state')

    def before_train(self, runner) -> None:
        state, self._pending = self._pending, None
        # a resumed run goes on from the checkpoint's iteration; one that only
        # loaded weights (``load_from``) starts from 0 with its own seed
        if state is None or (runner.iter == 0 and runner.epoch == 0):
            return
        generators = module_generators(_unwrap(runner.model))
        for name, generator_state in state.get('modules', {}).items():
            if name in generators:
                generators[name].set_state(generator_state)
        loop = runner.train_loop
        if getattr(loop, 'iter', 0) > 0 and hasattr(loop, 'dataloader_iterator'):
            loop.dataloader_iterator = _RestoreAfterSkip(loop, state, loop.iter, runner.logger)
        else:
            set_rng_state(state)
            runner.logger.info('Restored RNG states (python, numpy, torch) from checkpoint.')

    def before_val(self, runner) -> None:
        self._before_val = get_rng_state()

    def after_val(self, runner) -> None:
        if self._before_val is not None:
            set_rng_state(self._before_val)
        self._before_val = None
