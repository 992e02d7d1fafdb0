"""Post-import hooks: run set-up code right after a module is first imported.

``import mmkd_rs`` adapts two libraries (the ``mmcv.ops`` placeholder of
:mod:`.mmcv_compat`, safe checkpoint loading of :mod:`.checkpoint_safety`);
both need torch. Registering them with :func:`after_import` instead of running
them at once keeps the package import light, so torch-free parts (the graph
metrics of :mod:`mmkd_rs.evaluation.graph`) load without torch, while anything
that imports ``mmcv`` or ``mmengine.runner`` still finds them adapted before
its next line runs.
"""
import importlib.abc
import importlib.util
import sys
from typing import Callable, Dict, List

__all__ = ['after_import']


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself; wraps the loader of hooked modules to run their hooks."""

    def __init__(self):
        self.hooks: Dict[str, List[Callable[[], None]]] = {}
        self._resolving = set()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.hooks or fullname in self._resolving:
            return None
        self._resolving.add(fullname)
        try:  # let the other finders locate the module
            spec = importlib.util.find_spec(fullname)
        finally:
            self._resolving.discard(fullname)
        if spec is None or not hasattr(spec.loader, 'exec_module'):
            return spec
        loader, exec_module = spec.loader, spec.loader.exec_module

        def exec_then_hooks(module):
            try:
                exec_module(module)
            finally:
                del loader.exec_module      # the loader is this module's own instance
            self._run(fullname)

        loader.exec_module = exec_then_hooks
        return spec

    def _run(self, fullname):
        for hook in self.hooks.pop(fullname, []):
            hook()
        if not self.hooks and self in sys.meta_path:
            sys.meta_path.remove(self)


_finder = _PostImportFinder()


def after_import(module_name: str, hook: Callable[[], None]) -> None:
    """Call ``hook()`` once ``module_name`` is imported: now if it already is,
    else right after the module's code has run (before the importer goes on)."""
    if module_name in sys.modules:
        hook()
        return
    _finder.hooks.setdefault(module_name, []).append(hook)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
