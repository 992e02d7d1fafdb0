"""Save the random number generators' states in checkpoints and restore them
on resume, so that ``--resume`` continues a run instead of restarting its
random streams (dropout, random sampling inside models and losses)."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook

from mmkd_rs.registry import HOOKS

__all__ = ['RNGStateHook', 'get_rng_state', 'set_rng_state']


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


def _as_tuple(x):
    return tuple(_as_tuple(v) for v in x) if isinstance(x, (list, tuple)) else x


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Store RNG states under ``checkpoint['meta']['rng_state']``.

    The states are restored in ``before_train`` (after the runner resumed the
    weights, optimizer and schedulers). The dataloader fast-forward that
    mmengine performs on resume replays the same batches (worker seeds are
    derived from the run's seed); with ``num_workers=0`` random transforms run
    in the main process, so their draws shift by the replayed batches.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        self._pending = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})['rng_state'] = get_rng_state()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._pending = checkpoint.get('meta', {}).get('rng_state')

    def before_train(self, runner) -> None:
        if self._pending is not None and runner._resume:
            set_rng_state(self._pending)
            runner.logger.info('Restored RNG states (python, numpy, torch) from checkpoint.')
        self._pending = None
