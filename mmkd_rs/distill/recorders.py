"""Recorders: capture tensors inside a model by dotted path, without editing it.

Four kinds, registered in ``TASK_UTILS`` (as in MMRazor) and chosen by
``type`` in a recorder config:

* ``ModuleOutputs``  -- the output of ``model.<source>`` (a forward hook);
* ``ModuleInputs``   -- the positional inputs of ``model.<source>`` (a tuple);
* ``MethodOutputs``  -- the return value of a method, ``'decode_head.cls_seg'``
  (the bound method is wrapped on that instance only);
* ``FunctionOutputs`` -- the return value of a module-level function,
  ``'mmseg.models.decode_heads.decode_head.resize'`` (patched where it is
  looked up, only while recording; a name imported elsewhere with
  ``from x import f`` is not seen).

A recorder stores one entry per call while it is active (a module called twice
in one forward, e.g. a shared encoder, gives two entries: pick one with
``record_idx``). Recording is switched on only by :class:`RecorderGroup`, so
prediction and validation run at full speed and record nothing. The recorded
tensors are kept until :meth:`RecorderGroup.reset` (the algorithm resets them
once the distill losses are computed).

Another kind is a :class:`BaseRecorder` subclass registered with
``@TASK_UTILS.register_module()`` (``mmkd_rs.registry``); its config keys
other than ``type`` are its constructor's arguments.
"""
import functools
import importlib
import inspect
import types
from contextlib import contextmanager
from typing import Dict, List

from torch import nn

from mmkd_rs.registry import TASK_UTILS
from .wiring import DistillConfigError, check_name, suggest


class BaseRecorder:
    """Holds the tensors recorded from ``source`` while active."""

    def __init__(self, source: str):
        if not isinstance(source, str) or not source:
            raise DistillConfigError(
                f'{type(self).__name__}: source must be a dotted path string, got {source!r}')
        self.source = source
        self.active = False
        self.data: List = []

    def prepare(self, model: nn.Module, where: str) -> None:
        """Validate ``source`` in ``model`` and install the capture."""
        raise NotImplementedError

    def enter(self) -> None:
        """Start recording (called by :meth:`RecorderGroup.recording`)."""
        self.active = True

    def exit(self) -> None:
        """Stop recording; what was recorded stays until :meth:`reset`."""
        self.active = False

    def _record(self, value) -> None:
        if self.active:
            self.data.append(value)

    def reset(self) -> None:
        self.data = []

    def get(self, record_idx: int = 0, data_idx=None):
        """The ``record_idx``-th recorded call (``data_idx`` indexes a tuple output)."""
        if not self.data:
            raise RuntimeError(
                f'{type(self).__name__} {self.source!r} recorded nothing in this '
                'forward: the module/method was not called (check the model '
                'actually runs it in the current mode).')
        if record_idx >= len(self.data):
            raise RuntimeError(
                f'{type(self).__name__} {self.source!r}: record_idx={record_idx} but it '
                f'was called {len(self.data)} time(s) in this forward.')
        value = self.data[record_idx]
        return value if data_idx is None else value[data_idx]


def _find_module(model: nn.Module, path: str, where: str) -> nn.Module:
    modules = dict(model.named_modules())
    modules.pop('', None)
    check_name(path, modules, f'module path in {type(model).__name__}', where)
    return modules[path]


@TASK_UTILS.register_module()
class ModuleOutputs(BaseRecorder):
    """Output of a submodule."""

    def prepare(self, model, where):
        module = _find_module(model, self.source, where)
        module.register_forward_hook(lambda m, args, out: self._record(out))


@TASK_UTILS.register_module()
class ModuleInputs(BaseRecorder):
    """Positional inputs (a tuple) of a submodule."""

    def prepare(self, model, where):
        module = _find_module(model, self.source, where)
        module.register_forward_hook(lambda m, args, out: self._record(args))


@TASK_UTILS.register_module()
class MethodOutputs(BaseRecorder):
    """Return value of ``<module path>.<method>``; ``'<method>'`` alone = the model's own.

    The method is re-bound on that instance (``types.MethodType``), so a
    ``deepcopy`` of the model (e.g. an EMA copy) calls its own copy's method.
    """

    def prepare(self, model, where):
        path, _, method = self.source.rpartition('.')
        owner = _find_module(model, path, where) if path else model
        methods = [n for n in dir(type(owner))
                   if not n.startswith('__') and inspect.isfunction(getattr(type(owner), n))]
        check_name(method, methods, f'method of {type(owner).__name__} ({path or "model"})',
                   where)
        current = owner.__dict__.get(method)
        if isinstance(current, types.MethodType) and current.__self__ is owner:
            base = current.__func__          # already recorded by another recorder
        else:
            base = getattr(type(owner), method)
        recorder = self

        def recorded(module_self, *args, **kwargs):
            out = base(module_self, *args, **kwargs)
            recorder._record(out)
            return out

        setattr(owner, method, types.MethodType(recorded, owner))


@TASK_UTILS.register_module()
class FunctionOutputs(BaseRecorder):
    """Return value of a module-level function ``package.module.function``.

    The function is replaced by a recording wrapper on :meth:`enter` and the
    original is put back on :meth:`exit`, so outside a recording the module
    holds its own function and no reference to this recorder. Several
    recorders of one function nest (a group exits in reverse order).
    """

    def __init__(self, source: str):
        super().__init__(source)
        self._mod_name, _, self._func = self.source.rpartition('.')
        self._original = None       # the function replaced while recording

    def prepare(self, model, where):
        try:
            mod = importlib.import_module(self._mod_name)
        except ImportError as err:
            raise DistillConfigError(
                f'{where}: cannot import {self._mod_name!r} for FunctionOutputs '
                f'{self.source!r}: {err}') from None
        functions = [n for n in dir(mod) if callable(getattr(mod, n))]
        check_name(self._func, functions, f'function in {self._mod_name}', where)

    def enter(self):
        mod = importlib.import_module(self._mod_name)
        original = getattr(mod, self._func)

        @functools.wraps(original)
        def recorded(*args, **kwargs):
            out = original(*args, **kwargs)
            self._record(out)
            return out

        self._original = original
        setattr(mod, self._func, recorded)
        super().enter()

    def exit(self):
        super().exit()
        if self._original is not None:
            setattr(importlib.import_module(self._mod_name), self._func, self._original)
            self._original = None


def recorder_types() -> Dict[str, type]:
    """Name -> class of every registered recorder (the suite's and plugins')."""
    TASK_UTILS.import_from_location()
    return {name: cls for name, cls in TASK_UTILS.module_dict.items()
            if isinstance(cls, type) and issubclass(cls, BaseRecorder)}


def build_recorder(cfg: dict, where: str) -> BaseRecorder:
    """Build a recorder from ``dict(type=..., source=..., **other arguments)``."""
    if not isinstance(cfg, dict) or 'type' not in cfg or 'source' not in cfg:
        raise DistillConfigError(
            f"{where}: a recorder is dict(type=..., source='dotted.path'), got {cfg!r}")
    kind = cfg['type']
    cls = kind if isinstance(kind, type) else TASK_UTILS.get(kind)
    if not (isinstance(cls, type) and issubclass(cls, BaseRecorder)):
        raise DistillConfigError(f'{where}: unknown recorder type {kind!r}'
                                 + suggest(str(kind), recorder_types()))
    args = {k: v for k, v in cfg.items() if k != 'type'}
    try:
        return cls(**args)
    except TypeError as err:
        raise DistillConfigError(f'{where}: {cls.__name__}({", ".join(args)}): {err}') from None


class RecorderGroup:
    """Named recorders of one model, activated together."""

    def __init__(self, recorders: Dict[str, BaseRecorder]):
        self.recorders = recorders

    def __getitem__(self, name: str) -> BaseRecorder:
        return self.recorders[name]

    def __contains__(self, name: str) -> bool:
        return name in self.recorders

    def names(self):
        return list(self.recorders)

    @contextmanager
    def recording(self):
        """Reset, record inside the ``with`` block, then stop recording
        (recorders exit in reverse order, also when the block raises)."""
        entered = []
        try:
            for rec in self.recorders.values():
                rec.reset()
                rec.enter()
                entered.append(rec)
            yield self
        finally:
            for rec in reversed(entered):
                rec.exit()

    def reset(self):
        """Drop the recorded tensors (and with them their autograd graphs)."""
        for rec in self.recorders.values():
            rec.reset()
