"""Where a result comes from: config hash, code commit, weights hash, hardware."""
import datetime
import hashlib
import os
import os.path as osp
import platform
import subprocess
import tempfile
from typing import Optional

import torch
from mmengine.config import Config

__all__ = ['sha256_file', 'dump_config', 'config_hash', 'git_commit', 'hardware_info',
           'utc_now']


def sha256_file(path: str, chunk_bytes: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'cannot hash "{path}": file does not exist')
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_bytes), b''):
            digest.update(chunk)
    return digest.hexdigest()


def dump_config(config: str, cfg_options: Optional[dict] = None) -> str:
    """The text mmengine writes for ``config`` with ``cfg_options`` merged.

    This is the config as trained (``_base_`` resolved, options applied), so
    two runs with equal dumps train the same thing.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file "{config}" does not exist')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(dict(cfg_options))
    with tempfile.TemporaryDirectory() as tmp:
        out = osp.join(tmp, 'config' + osp.splitext(config)[1])
        cfg.dump(out)
        with open(out, encoding='utf-8') as f:
            return f.read()


def config_hash(config: str, cfg_options: Optional[dict] = None) -> str:
    """sha256 of :func:`dump_config`."""
    return hashlib.sha256(dump_config(config, cfg_options).encode('utf-8')).hexdigest()


def git_commit(repo_dir: str = '.') -> Optional[str]:
    """HEAD commit of ``repo_dir`` (``+dirty`` appended when tracked files
    changed); None outside a git checkout."""
    try:
        head = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=repo_dir, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'],
                               cwd=repo_dir, check=True, capture_output=True,
                               text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ('+dirty' if dirty else '')


def _cpu_model() -> str:
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def hardware_info() -> dict:
    """CPU model, threads torch uses, visible CPUs, CUDA device (or None)."""
    cuda = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return dict(cpu_model=_cpu_model(), cpu_threads=torch.get_num_threads(),
                cpu_count=len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity')
                else os.cpu_count(), cuda_device=cuda)


def utc_now() -> str:
    """Current time, ISO-8601 UTC, second precision."""
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0).isoformat()
