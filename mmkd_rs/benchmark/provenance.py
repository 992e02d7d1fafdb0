"""Where a result comes from: config hash, code commit, weights hash, hardware."""
import datetime
import hashlib
import json
import os
import os.path as osp
import platform
import subprocess
import zipfile
from typing import Optional

from mmengine.config import Config

__all__ = ['sha256_file', 'weights_sha256', 'checkpoint_sha256', 'dump_config', 'config_hash',
           'git_commit', 'hardware_info', 'utc_now']


def sha256_file(path: str, chunk_bytes: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'cannot hash "{path}": file does not exist')
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_bytes), b''):
            digest.update(chunk)
    return digest.hexdigest()


def weights_sha256(path: str) -> str:
    """Hex sha256 of the weights a checkpoint file holds: the tensors of its
    ``state_dict`` (of the file itself when it is a plain ``{name: tensor}``
    dict), each as its name, dtype, shape and bytes, in name order.

    Two trainings that end in the same weights write files with other bytes
    (mmengine's ``meta`` holds the time, the experiment name and the config
    text with its work dir), so :func:`sha256_file` tells them apart and this
    does not; optimizer and scheduler states are left out as well.  The file
    is read with torch's weights-only loader: nothing in it runs.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file holds no tensors (not a model checkpoint).
    """
    import torch  # imported here: this module is also read where torch is not needed
    from mmkd_rs.utils.checkpoint_safety import safe_torch_load
    if not osp.isfile(path):
        raise FileNotFoundError(f'cannot hash "{path}": file does not exist')
    ckpt = safe_torch_load(path, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    tensors = ({k: v for k, v in state.items() if isinstance(v, torch.Tensor)}
               if isinstance(state, dict) else {})
    if not tensors:
        raise ValueError(f'cannot hash the weights of "{path}": it holds no state_dict '
                         'of tensors (expected a model checkpoint)')
    digest = hashlib.sha256()
    for name in sorted(tensors):
        tensor = tensors[name].detach().cpu().contiguous()
        digest.update(f'{name}\0{tensor.dtype}\0{tuple(tensor.shape)}\0'.encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def checkpoint_sha256(path: str) -> str:
    """What a result record names a loaded checkpoint by: :func:`weights_sha256`
    for a torch checkpoint (a zip archive, what ``torch.save`` has written since
    torch 1.6), :func:`sha256_file` for any other file (an older torch format,
    or a stand-in file of the tests' fake tools). A missing file raises
    :class:`FileNotFoundError` (from :func:`sha256_file`)."""
    return weights_sha256(path) if zipfile.is_zipfile(path) else sha256_file(path)


def _json_default(obj):
    """Stable text for what JSON cannot hold (classes, functions, sets)."""
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=repr)
    if hasattr(obj, '__qualname__'):
        return f'{getattr(obj, "__module__", "")}.{obj.__qualname__}'
    return repr(obj)


def dump_config(config: str, cfg_options: Optional[dict] = None) -> str:
    """The config as trained, as canonical JSON (sorted keys).

    ``_base_`` files are resolved and ``cfg_options`` (flat dotted keys, as
    ``--cfg-options`` takes them) merged, so two runs with equal dumps train
    the same thing.  JSON rather than mmengine's formatted Python text keeps
    the dump independent of the code formatter's version.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file "{config}" does not exist')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(dict(cfg_options))
    return json.dumps(cfg.to_dict(), sort_keys=True, indent=1, ensure_ascii=False,
                      default=_json_default)


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


def hardware_info(threads: Optional[int] = None) -> dict:
    """CPU model, visible CPUs, torch threads, CUDA device (or None).

    ``threads`` is the thread count the runs were pinned to (default: what
    torch uses in this process).  No host name or path is included.
    """
    import torch  # here, not at the top: suites and leaderboards hash configs without it
    cuda = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return dict(cpu_model=_cpu_model(),
                cpu_count=len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity')
                else os.cpu_count(),
                threads=int(threads) if threads else torch.get_num_threads(), cuda_device=cuda)


def utc_now() -> str:
    """Current time, ISO-8601 UTC, second precision."""
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0).isoformat()
