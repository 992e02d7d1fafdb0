"""mmkd_rs: knowledge distillation for remote sensing on OpenMMLab 2.0.

Importing the package (which every config does through ``default_scope``)
makes mmsegmentation importable under mmcv-lite and makes checkpoint loading
work with torch's ``weights_only=True`` safety; see :mod:`mmkd_rs.utils`.
Both adapt libraries that need torch, so each runs when its library is first
imported (``mmcv``; ``mmengine.runner`` or the safety module itself), at once
when it already is: the package, and torch-free parts such as
:mod:`mmkd_rs.evaluation.graph`, import without torch.
"""
import importlib
import sys

from .utils.import_hooks import after_import
from .version import __version__

_MMCV_COMPAT = 'mmkd_rs.utils.mmcv_compat'
_CHECKPOINT_SAFETY = 'mmkd_rs.utils.checkpoint_safety'


def _installer(module_name: str):
    """A hook calling ``install()`` of ``module_name`` (idempotent)."""

    def install():
        module = sys.modules.get(module_name)
        if module is not None and not hasattr(module, 'install'):
            return  # imported right now (it imports the trigger): its own hook follows
        importlib.import_module(module_name).install()

    return install


after_import('mmcv', _installer(_MMCV_COMPAT))
after_import('mmengine.runner', _installer(_CHECKPOINT_SAFETY))
after_import(_CHECKPOINT_SAFETY, _installer(_CHECKPOINT_SAFETY))

__all__ = ['__version__']
