"""Engine additions: hooks, optimizer wrappers and model wrappers."""
from .cpu_amp_optim_wrapper import CPUAmpOptimWrapper
from .device_aware_ddp import DeviceAwareDistributedDataParallel
from .prediction_writer_hook import PredictionWriterHook
from .rng_state_hook import RNGStateHook

__all__ = ['CPUAmpOptimWrapper', 'DeviceAwareDistributedDataParallel',
           'PredictionWriterHook', 'RNGStateHook']
from .sar_visualization_hook import SAREOVisualizationHook  # noqa: F401
