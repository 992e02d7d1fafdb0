"""Distributed set-up of ``tools/train.py`` and ``tools/test.py`` (``--launcher``)."""
import os
import subprocess

import torch
from mmengine.config import Config

from mmkd_rs.utils.errors import UserError

from .device_aware_ddp import DeviceAwareDistributedDataParallel

__all__ = ['setup_launcher']


def _slurm_env() -> None:
    """Fill torch.distributed's env variables from Slurm's."""
    os.environ.setdefault('RANK', os.environ['SLURM_PROCID'])
    os.environ.setdefault('WORLD_SIZE', os.environ['SLURM_NTASKS'])
    os.environ.setdefault('LOCAL_RANK', os.environ.get('SLURM_LOCALID', '0'))
    os.environ.setdefault('MASTER_PORT', '29500')
    if 'MASTER_ADDR' not in os.environ:
        nodes = os.environ['SLURM_NODELIST']
        os.environ['MASTER_ADDR'] = subprocess.getoutput(
            f'scontrol show hostname {nodes} | head -n1')


def setup_launcher(cfg: Config, launcher: str) -> None:
    """Prepare distributed training for ``launcher`` ('none', 'pytorch', 'slurm').

    On GPU machines this is mmengine's usual path (NCCL). Without CUDA the
    process group is initialised here with the gloo backend (mmengine's own
    initialisation selects a CUDA device) and the model is wrapped by
    :class:`DeviceAwareDistributedDataParallel`.
    """
    cfg.launcher = launcher
    if launcher == 'none' or torch.cuda.is_available():
        return
    import torch.distributed as dist
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    if cfg.get('model_wrapper_cfg', None) is None:
        cfg.model_wrapper_cfg = dict(
            type=DeviceAwareDistributedDataParallel.__name__,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    if launcher == 'slurm':
        _slurm_env()
    elif launcher != 'pytorch':
        raise UserError(f'launcher "{launcher}" is not supported on CPU; use pytorch or slurm.')
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
