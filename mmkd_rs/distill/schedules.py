"""Loss-weight schedules of distill losses, driven by the training iteration.

A schedule multiplies one distill loss by a factor in [0, 1] (times
``max_factor``) that depends on the current iteration ``i``:

* linear warm-up from ``0`` at ``begin`` to 1 at ``begin + warmup_iters``;
* then optional ``decay`` ('linear' or 'cosine') from 1 at ``decay_begin`` to
  ``min_factor`` at ``decay_end``;
* 0 from ``stop_after`` on (the loss is still computed, times 0, so that every
  trainable connector keeps a gradient and DDP without
  ``find_unused_parameters`` stays valid).

:class:`~mmkd_rs.distill.hooks.DistillIterHook` gives the distiller the
iteration (``runner.iter``) before every training iteration; ``tools/train.py``
adds the hook to every distillation config.
"""
import math
from typing import Optional


class LossWeightSchedule:
    """Iteration -> loss factor; see the module docstring."""

    def __init__(self, warmup_iters: int = 0, begin: int = 0,
                 decay: Optional[str] = None, decay_begin: int = 0,
                 decay_end: Optional[int] = None, min_factor: float = 0.0,
                 stop_after: Optional[int] = None, max_factor: float = 1.0):
        if decay not in (None, 'linear', 'cosine'):
            raise ValueError(f"LossWeightSchedule: decay must be None, 'linear' or "
                             f"'cosine', got {decay!r}")
        if decay is not None and (decay_end is None or decay_end <= decay_begin):
            raise ValueError('LossWeightSchedule: a decay needs decay_end > decay_begin, '
                             f'got decay_begin={decay_begin}, decay_end={decay_end}')
        self.warmup_iters = warmup_iters
        self.begin = begin
        self.decay = decay
        self.decay_begin = decay_begin
        self.decay_end = decay_end
        self.min_factor = min_factor
        self.stop_after = stop_after
        self.max_factor = max_factor

    def __call__(self, it: int) -> float:
        if it < self.begin or (self.stop_after is not None and it >= self.stop_after):
            return 0.0
        factor = 1.0
        if self.warmup_iters > 0:
            factor = min(1.0, (it - self.begin) / self.warmup_iters)
        if self.decay is not None and it >= self.decay_begin:
            progress = min(1.0, (it - self.decay_begin) / (self.decay_end - self.decay_begin))
            if self.decay == 'linear':
                shape = 1.0 - progress
            else:
                shape = 0.5 * (1.0 + math.cos(math.pi * progress))
            factor *= self.min_factor + (1.0 - self.min_factor) * shape
        return factor * self.max_factor
