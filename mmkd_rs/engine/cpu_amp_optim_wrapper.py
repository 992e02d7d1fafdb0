"""Mixed precision on CPU for ``tools/train.py --amp``.

mmengine's :class:`AmpOptimWrapper` requires CUDA (float16 with a dynamic
loss scaler).  On a CPU-only machine ``--amp`` selects this wrapper instead:
the forward pass runs under ``torch.autocast('cpu', bfloat16)``.  bfloat16
has float32's exponent range, so no loss scaling is needed.
"""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from mmengine.runner.amp import autocast

from mmkd_rs.registry import OPTIM_WRAPPERS

__all__ = ['CPUAmpOptimWrapper']


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """OptimWrapper whose ``optim_context`` enables CPU bfloat16 autocast.

    Args:
        dtype (str): Autocast dtype; only ``'bfloat16'`` is supported on CPU.
        **kwargs: Passed to :class:`mmengine.optim.OptimWrapper`.
    """

    def __init__(self, dtype: str = 'bfloat16', **kwargs):
        if dtype != 'bfloat16':
            raise ValueError(f'CPUAmpOptimWrapper supports dtype="bfloat16" only, got "{dtype}"')
        super().__init__(**kwargs)
        self.cast_dtype = torch.bfloat16

    @contextmanager
    def optim_context(self, model):
        with super().optim_context(model), autocast(device_type='cpu', dtype=self.cast_dtype):
            yield
