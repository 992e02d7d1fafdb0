"""Safe checkpoint loading under ``torch.load(weights_only=True)``.

Since torch 2.6 ``torch.load`` only unpickles tensors, containers and an
allow-list of globals.  mmengine 0.10.7 stores a :class:`HistoryBuffer` and
numpy arrays/scalars in the ``message_hub`` of every checkpoint, so resuming
fails.  We never switch the safety off: :func:`allow_mmengine_globals` adds
exactly the (data-only) classes mmengine writes to the allow-list, and
:func:`safe_load_from_local` replaces mmengine's loader for local files so
that a checkpoint containing anything else (a pickled function, an arbitrary
class) is refused with :class:`UnsafeCheckpointError` before any of its code
can run.
"""
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

__all__ = ['UnsafeCheckpointError', 'allow_mmengine_globals', 'safe_globals',
           'safe_load_from_local', 'install']


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects outside the weights-only allow-list."""


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


def safe_load_from_local(filename, map_location=None):
    """Load a local checkpoint with ``weights_only=True``.

    Raises:
        FileNotFoundError: the file does not exist.
        UnsafeCheckpointError: the pickle references a global that is not
            allow-listed (e.g. a function or class that would run code).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file "{filename}" does not exist')
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeCheckpointError(
            f'Refused to load checkpoint "{filename}": it contains objects '
            'outside the weights-only allow-list (tensors, containers, numpy '
            'arrays and mmengine HistoryBuffer), so loading it could run code. '
            'Nothing from it was executed. If you trust its origin, re-save '
            'only its state_dict. Details: ' + str(err).splitlines()[0]) from None


def install():
    """Allow-list mmengine's globals and route local loading through us."""
    allow_mmengine_globals()
    CheckpointLoader.register_scheme(prefixes='', loader=safe_load_from_local, force=True)
