"""RNGStateHook restores the checkpoint's generators on resume only."""
import logging
import random
from types import SimpleNamespace

import torch

from mmkd_rs.engine.rng_state_hook import RNGStateHook, get_rng_state, private_generator


class Sampler(torch.nn.Module):
    """A module with its own generator (like a loss that samples pixels)."""

    def __init__(self, seed):
        super().__init__()
        self.generator = private_generator(seed)


def _runner(it, epoch=0, model=None):
    model = model or torch.nn.Sequential(torch.nn.Identity())
    return SimpleNamespace(iter=it, epoch=epoch, train_loop=SimpleNamespace(iter=it),
                           logger=logging.getLogger('rng-test'), model=model)


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


def test_private_generators_of_modules_are_saved_and_restored_on_resume():
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 1, 1), Sampler(seed=5))
    gen = model[1].generator
    torch.rand(3, generator=gen)
    checkpoint = {}
    RNGStateHook().before_save_checkpoint(_runner(4, model=model), checkpoint)
    expected = torch.rand(3, generator=gen)

    fresh = torch.nn.Sequential(torch.nn.Conv2d(1, 1, 1), Sampler(seed=5))
    hook = RNGStateHook()
    hook.after_load_checkpoint(None, checkpoint)
    hook.before_train(_runner(4, model=fresh))
    assert torch.equal(torch.rand(3, generator=fresh[1].generator), expected)


def test_a_private_generator_follows_the_run_seed_and_leaves_the_global_one_alone():
    torch.manual_seed(3)
    a = torch.rand(4, generator=private_generator())
    after = torch.rand(2)
    torch.manual_seed(3)
    b = torch.rand(4, generator=private_generator())
    assert torch.equal(a, b)
    torch.manual_seed(3)
    assert torch.equal(torch.rand(2), after)      # drawing from it moved nothing
    torch.manual_seed(4)
    assert not torch.equal(torch.rand(4, generator=private_generator()), a)
    assert torch.equal(torch.rand(4, generator=private_generator(9)),
                       torch.rand(4, generator=private_generator(9)))
