"""RNGStateHook restores the checkpoint's generators on resume only."""
import logging
import random
from types import SimpleNamespace

import torch

from mmkd_rs.engine.rng_state_hook import RNGStateHook, get_rng_state


def _runner(it, epoch=0):
    return SimpleNamespace(iter=it, epoch=epoch, train_loop=SimpleNamespace(iter=it),
                           logger=logging.getLogger('rng-test'))


def _draws():
    return random.random(), torch.rand(2).tolist()


def test_states_come_back_on_resume_but_not_after_load_from():
    torch.manual_seed(0)
    random.seed(0)
    saved = get_rng_state()
    expected = _draws()
    for runner, restored in ((_runner(0), False), (_runner(4), True),
                             (_runner(0, epoch=2), True)):
        hook = RNGStateHook()
        hook.after_load_checkpoint(runner, {'meta': {'rng_state': saved}})
        torch.manual_seed(1)
        random.seed(1)
        hook.before_train(runner)
        assert (_draws() == expected) is restored, (runner.iter, runner.epoch)
