"""Safe checkpoint loading under ``torch.load(weights_only=True)``.

Since torch 2.6 ``torch.load`` only unpickles tensors, containers and an
allow-list of globals.  mmengine 0.10.7 stores a :class:`HistoryBuffer` and
numpy arrays/scalars in the ``message_hub`` of every checkpoint, so resuming
fails.  We never switch the safety off: :func:`allow_mmengine_globals` adds
exactly the (data-only) classes mmengine writes to the allow-list, and
:func:`install` registers a weights-only loader for **every** scheme of
mmengine's :class:`CheckpointLoader` (local files, ``http(s)://``,
``torchvision://`` / ``modelzoo://``, ``open-mmlab://`` / ``openmmlab://``,
``mmcls://``, ``pavi://``, ``s3://`` / ``petrel://``), so that ``load_from``,
``--resume``, ``tools/test.py`` and ``init_cfg=dict(type='Pretrained')``
refuse a checkpoint holding anything else (a pickled function, an arbitrary
class) with :class:`UnsafeCheckpointError` before any of its code can run.
mmengine's own URL loader goes through ``torch.hub.load_state_dict_from_url``,
whose default is ``weights_only=False``.

A file that cannot be read because it is incomplete (e.g. a run killed while
writing it) raises :class:`DamagedCheckpointError` naming the file; a URL or
model-zoo name that cannot be downloaded (no network) raises
:class:`CheckpointDownloadError`, which names the URL, the cache file and how to
point the config at a local copy.

Nothing here imports ``mmengine.runner`` at import time: ``import mmkd_rs``
calls :func:`install` once ``mmengine.runner`` is imported.
"""
import http.client
import io
import os
import os.path as osp
import pickle
import re
import urllib.error
import zipfile
from contextlib import contextmanager
from tempfile import TemporaryDirectory
from typing import Optional
from urllib.parse import urlparse

import numpy as np
import torch
from mmengine.dist import get_dist_info
from mmengine.fileio import get_file_backend
from mmengine.logging import HistoryBuffer

from .errors import UserError

__all__ = ['UnsafeCheckpointError', 'DamagedCheckpointError', 'CheckpointDownloadError',
           'allow_mmengine_globals', 'safe_globals', 'safe_torch_load', 'load_from_local',
           'load_from_http',
           'safe_load_from_local', 'checkpoint_damage', 'previous_intact_checkpoint',
           'damaged_message', 'download_message', 'torchvision_models', 'SCHEMES', 'install']


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects outside the weights-only allow-list."""


class DamagedCheckpointError(UserError):
    """A checkpoint file is incomplete or not a PyTorch checkpoint."""


class CheckpointDownloadError(UserError):
    """A checkpoint named by URL or model-zoo name cannot be downloaded."""


#: What a failed download raises (URLError covers HTTP errors and DNS failures).
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                  TimeoutError)


def _numpy_globals():
    core = getattr(np, '_core', None) or np.core
    names = [core.multiarray._reconstruct, core.multiarray.scalar, np.ndarray, np.dtype]
    # numpy >= 1.25 pickles dtypes through their concrete ``np.dtypes`` classes.
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        names += [getattr(dtypes, n) for n in dir(dtypes) if n.endswith('DType')]
    return names


def _history_buffer_method(obj, name):
    """Stand-in for ``getattr`` during weights-only loading.

    ``HistoryBuffer.__getstate__`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'mean')``. Allowing the real ``getattr`` would
    let a checkpoint fetch arbitrary attributes; this stand-in only returns
    public methods of :class:`HistoryBuffer` and refuses anything else.
    """
    if obj is HistoryBuffer and not name.startswith('_') and callable(
            getattr(HistoryBuffer, name, None)):
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'checkpoint asks for getattr({obj!r}, {name!r}); only public HistoryBuffer '
        'methods are allowed')


def safe_globals():
    """The data-only globals mmengine checkpoints need, as a list."""
    return [HistoryBuffer, (_history_buffer_method, 'builtins.getattr'),
            (_history_buffer_method, '__builtin__.getattr')] + _numpy_globals()


def allow_mmengine_globals():
    """Add :func:`safe_globals` to torch's weights-only allow-list."""
    torch.serialization.add_safe_globals(safe_globals())


# ------------------------------------------------------------ damaged files
_CKPT_NAME = re.compile(r'^(iter|epoch)_(\d+)\.pth$')


def checkpoint_damage(path: str) -> Optional[str]:
    """Why the local file ``path`` cannot be a complete checkpoint, or None.

    Cheap: reads the first bytes and, for torch's zip format, the zip
    directory (written last, so a file cut off while being written has
    none). Legacy (pickle) files are not checked beyond their first byte.
    """
    size = osp.getsize(path)
    if size == 0:
        return 'the file is empty'
    with open(path, 'rb') as f:
        head = f.read(4)
    if head == b'PK\x03\x04':
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except (zipfile.BadZipFile, OSError):
            return (f'its zip archive is incomplete ({size} bytes without the zip directory '
                    'that ends a complete file), so it was cut off while being written (a '
                    'killed run) or copied')
        return None
    if head[:1] != b'\x80':
        return 'it is not a PyTorch checkpoint (neither a zip archive nor a pickle)'
    return None


def previous_intact_checkpoint(path: str) -> Optional[str]:
    """The newest intact ``iter_N.pth`` / ``epoch_N.pth`` older than ``path``.

    Looks in ``path``'s folder for checkpoints of the same kind with a
    smaller N; None if ``path`` is not so named or none is intact.
    """
    match = _CKPT_NAME.match(osp.basename(path))
    folder = osp.dirname(path) or '.'
    if match is None or not osp.isdir(folder):
        return None
    older = []
    for name in os.listdir(folder):
        other = _CKPT_NAME.match(name)
        if other and other.group(1) == match.group(1) and int(other.group(2)) < int(
                match.group(2)):
            older.append((int(other.group(2)), osp.join(folder, name)))
    for _, candidate in sorted(older, reverse=True):
        if checkpoint_damage(candidate) is None:
            return candidate
    return None


def damaged_message(path: str, damage: str, name: Optional[str] = None) -> str:
    """One paragraph: ``path`` is damaged, and which checkpoint to use instead.

    Args:
        name (str, optional): How to call the checkpoint (default: ``path``
            in quotes), e.g. its URL and cache file.
    """
    text = f'checkpoint {name or _quote(path)} cannot be loaded: {damage}.'
    previous = previous_intact_checkpoint(path)
    if previous is not None:
        text += (f' The previous intact checkpoint is "{previous}": resume from it with '
                 f'--resume {previous} (--resume auto falls back to it by itself).')
    return text


def _quote(text: str) -> str:
    return f'"{text}"'


# ------------------------------------------------------------------ loading
def _unsafe(name: str, err: Exception) -> UnsafeCheckpointError:
    return UnsafeCheckpointError(
        f'Refused to load checkpoint {name}: it contains objects outside the '
        'weights-only allow-list (tensors, containers, numpy arrays and mmengine '
        'HistoryBuffer), so loading it could run code. Nothing from it was executed. If '
        'you trust its origin, re-save only its state_dict. Details: '
        + str(err).splitlines()[0])


@contextmanager
def _explained(name: str, path: Optional[str] = None):
    """Turn ``torch.load`` errors into errors that name the checkpoint.

    Args:
        name (str): The checkpoint as the user gave it, quoted (file, URL
            or scheme name).
        path (str, optional): The local file read, checked for damage when
            loading fails.
    """
    allow_mmengine_globals()     # a set: adding again changes nothing
    try:
        yield
    except pickle.UnpicklingError as err:
        raise _unsafe(name, err) from None
    except (RuntimeError, EOFError, KeyError, ValueError) as err:
        damage = checkpoint_damage(path) if path and osp.isfile(path) else None
        if damage is None:
            raise
        raise DamagedCheckpointError(damaged_message(path, damage, name)) from err


def safe_torch_load(f, map_location=None, source: Optional[str] = None):
    """``torch.load(f, weights_only=True)`` whose errors name ``source``.

    Args:
        f (str | file-like): A local path or an open binary buffer.
        source (str, optional): Name for messages (default: ``f``).

    Raises:
        UnsafeCheckpointError: the pickle references a global that is not
            allow-listed (e.g. a function or class that would run code).
        DamagedCheckpointError: the local file is incomplete or not a
            checkpoint.
    """
    path = f if isinstance(f, str) else None
    with _explained(_quote(source or path or '<buffer>'), path):
        return torch.load(f, map_location=map_location, weights_only=True)


def load_from_local(filename, map_location=None):
    """Load a local checkpoint with ``weights_only=True``.

    Raises:
        FileNotFoundError: the file does not exist.
        UnsafeCheckpointError / DamagedCheckpointError: see
            :func:`safe_torch_load`.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file "{filename}" does not exist')
    return safe_torch_load(filename, map_location)


safe_load_from_local = load_from_local


def download_message(name: str, url: str, cached: str, reason: BaseException) -> str:
    """One paragraph: ``name`` (resolved to ``url``) could not be downloaded.

    Args:
        name (str): The checkpoint as the config names it (a URL or a
            model-zoo name such as ``open-mmlab://resnet50_v1c``).
        url (str): The URL it resolves to.
        cached (str): Where torch's hub cache keeps the file.
        reason (BaseException): The network error.
    """
    where = f'"{name}"' + ('' if name == url else f' ({url})')
    file_name = osp.basename(cached)
    return (f'cannot download checkpoint {where}: {reason}. The config starts the model '
            "from it (a model's `pretrained=`, or `checkpoint=` of an "
            "init_cfg=dict(type='Pretrained')). Without network, put the file at "
            f'"{cached}" (torch\'s hub cache, $TORCH_HOME/hub/checkpoints: it is read from '
            'there and never downloaded again), or point that config entry at a local copy, '
            f'e.g. --cfg-options model.backbone.init_cfg.checkpoint=/path/to/{file_name} '
            '(or model.pretrained=...), or set it to None (model.backbone.init_cfg=None) to '
            'start from random weights.')


def _load_url(url, map_location=None, model_dir=None, progress=True, source=None):
    model_dir = model_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    cached = osp.join(model_dir, osp.basename(urlparse(url).path))
    try:
        with _explained(f'"{source or url}" (cached as "{cached}")', cached):
            return torch.hub.load_state_dict_from_url(
                url, model_dir=model_dir, map_location=map_location, progress=progress,
                weights_only=True)
    except NETWORK_ERRORS as err:
        raise CheckpointDownloadError(
            download_message(source or url, url, cached, err)) from None


def load_from_http(filename, map_location=None, model_dir=None, progress=os.isatty(0),
                   source=None):
    """mmengine's ``http(s)://`` loader with ``weights_only=True``.

    The file is downloaded into (or read from) torch's hub cache,
    ``$TORCH_HOME/hub/checkpoints`` by default; rank 0 downloads first.

    Args:
        source (str, optional): The name the URL was resolved from (e.g.
            ``open-mmlab://resnet50_v1c``), for messages.

    Raises:
        CheckpointDownloadError: the file is not cached and cannot be
            downloaded.
    """
    rank, world_size = get_dist_info()
    if rank == 0:
        checkpoint = _load_url(filename, map_location, model_dir, progress, source)
    if world_size > 1:
        torch.distributed.barrier()
        if rank > 0:
            checkpoint = _load_url(filename, map_location, model_dir, progress, source)
    return checkpoint


def _mm_ckpt():
    """mmengine's checkpoint module (imported when first needed)."""
    from mmengine.runner import checkpoint
    return checkpoint


def torchvision_models() -> dict:
    """Name -> URL of torchvision's ImageNet checkpoints.

    From torchvision when it is installed (as mmengine does); otherwise from
    mmengine's copy of torchvision 0.12's table (``mmengine/hub/
    torchvision_0.12.json``: ``resnet18`` ... ``resnet152``, ...), so that
    ``torchvision://resnet34`` needs no torchvision (this suite installs none).
    """
    try:
        import torchvision  # noqa: F401
    except ImportError:
        import mmengine
        return mmengine.load(osp.join(osp.dirname(mmengine.__file__), 'hub',
                                      'torchvision_0.12.json'))
    return _mm_ckpt().get_torchvision_models()


def load_from_torchvision(filename, map_location=None):
    """``torchvision://NAME`` / ``modelzoo://NAME``: torchvision's model URL."""
    name = filename.split('://', 1)[1]
    url = torchvision_models()[name]
    return load_from_http(url, map_location=map_location, source=filename)


def load_from_openmmlab(filename, map_location=None):
    """``open-mmlab://NAME`` / ``openmmlab://NAME``: mmengine's model-zoo index
    (``mmengine/hub/openmmlab.json``, e.g. ``resnet50_v1c`` ->
    ``https://download.openmmlab.com/pretrain/third_party/resnet50_v1c-2cccc1ad.pth``)."""
    mm_ckpt, name = _mm_ckpt(), filename.split('://', 1)[1]
    name = mm_ckpt.get_deprecated_model_names().get(name, name)
    url = mm_ckpt.get_external_models()[name]
    if url.startswith(('http://', 'https://')):
        return load_from_http(url, map_location=map_location, source=filename)
    return load_from_local(osp.join(mm_ckpt._get_mmengine_home(), url), map_location)


def load_from_mmcls(filename, map_location=None):
    """``mmcls://NAME``: an mmcls model-zoo checkpoint, keys renamed as mmengine does."""
    mm_ckpt = _mm_ckpt()
    url = mm_ckpt.get_mmcls_models()[filename[len('mmcls://'):]]
    return mm_ckpt._process_mmcls_checkpoint(
        load_from_http(url, map_location=map_location, source=filename))


def load_from_pavi(filename, map_location=None):
    """``pavi://PATH`` (needs the ``pavi`` package), downloaded to a temporary file."""
    try:
        from pavi import modelcloud
    except ImportError:
        raise ImportError('Please install pavi to load checkpoint from modelcloud.')
    model = modelcloud.get(filename[len('pavi://'):])
    with TemporaryDirectory() as tmp_dir:
        downloaded = osp.join(tmp_dir, model.name)
        model.download(downloaded)
        return safe_torch_load(downloaded, map_location, source=filename)


def load_from_ceph(filename, map_location=None, backend='petrel'):
    """``s3://`` / ``petrel://`` through mmengine's file backend."""
    file_backend = get_file_backend(filename, backend_args={'backend': backend})
    with io.BytesIO(file_backend.get(filename)) as buffer:
        return safe_torch_load(buffer, map_location, source=filename)


#: Every prefix mmengine 0.10.7 registers, with its weights-only loader.
SCHEMES = {
    '': load_from_local,
    ('http://', 'https://'): load_from_http,
    'pavi://': load_from_pavi,
    (r'(\S+\:)?s3://', r'(\S+\:)?petrel://'): load_from_ceph,
    ('modelzoo://', 'torchvision://'): load_from_torchvision,
    ('open-mmlab://', 'openmmlab://'): load_from_openmmlab,
    'mmcls://': load_from_mmcls,
}


def install():
    """Allow-list mmengine's globals and route every scheme through us."""
    from mmengine.runner.checkpoint import CheckpointLoader
    allow_mmengine_globals()
    for prefixes, loader in SCHEMES.items():
        CheckpointLoader.register_scheme(prefixes=prefixes, loader=loader, force=True)
