"""mmkd_rs: knowledge distillation for remote sensing on OpenMMLab 2.0.

Importing the package (which every config does through ``default_scope``)
makes mmsegmentation importable under mmcv-lite and makes checkpoint loading
work with torch's ``weights_only=True`` safety; see :mod:`mmkd_rs.utils`.
"""
from .utils import checkpoint_safety, mmcv_compat
from .version import __version__

mmcv_compat.install()
checkpoint_safety.install()

__all__ = ['__version__']
