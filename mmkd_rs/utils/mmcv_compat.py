"""Compatibility layer for ``mmcv-lite`` (mmcv without compiled ops).

mmsegmentation 1.2.2 imports a handful of names from ``mmcv.ops`` at module
level (``point_sample`` in ``mmseg.models.utils`` / ``mmseg.utils``,
``sigmoid_focal_loss`` in the focal loss, ...).  With ``mmcv-lite`` the real
``mmcv.ops`` package fails to import because ``mmcv._ext`` is not built, so
``import mmseg.models`` fails although none of these ops is needed by the
models this suite uses.

:func:`install` replaces ``mmcv.ops`` by a small module whose attributes are
placeholders: importing them works, *calling* or instantiating them raises
:class:`MMCVOpsUnavailableError` with a message saying which op needs the
full ``mmcv`` build.  When the full ``mmcv`` is installed nothing is changed.
"""
import importlib
import sys
import types
import warnings

__all__ = ['MMCVOpsUnavailableError', 'install', 'is_lite']

_INSTALL_HINT = ('It needs the full mmcv build with compiled ops: '
                 'pip install "setuptools<81" && pip install --no-build-isolation '
                 'mmcv==2.1.0 (6-10 min from source; torch must be installed first).')


class MMCVOpsUnavailableError(RuntimeError):
    """Raised when a compiled mmcv op is used under mmcv-lite."""


def _placeholder(name):

    def _raise(*args, **kwargs):
        raise MMCVOpsUnavailableError(
            f'mmcv.ops.{name} was called, but only mmcv-lite (no compiled ops) '
            f'is installed. {_INSTALL_HINT}')

    # A class-like placeholder so that ``isinstance``/subclassing at import
    # time keeps working; instantiating it raises.
    return type(name, (), {
        '__new__': lambda cls, *a, **k: _raise(),
        '__doc__': f'Placeholder for mmcv.ops.{name} (needs full mmcv).',
        '__module__': 'mmcv.ops',
    })


class _OpsModule(types.ModuleType):

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        value = _placeholder(name)
        setattr(self, name, value)
        return value


_lite = None


def is_lite() -> bool:
    """Whether ``mmcv.ops`` is the placeholder module (mmcv-lite)."""
    return bool(_lite)


def install() -> bool:
    """Make ``import mmcv.ops`` work under mmcv-lite.

    Returns:
        bool: True if the placeholder module was installed, False if the real
        compiled ``mmcv.ops`` is available.
    """
    global _lite
    if _lite is not None:
        return _lite
    try:
        importlib.import_module('mmcv.ops')
        _lite = False
        return False
    except ImportError as err:  # mmcv._ext missing -> mmcv-lite
        if '_ext' not in str(err):
            raise
    for key in [k for k in sys.modules if k.startswith('mmcv.ops')]:
        del sys.modules[key]
    module = _OpsModule('mmcv.ops', 'mmcv-lite placeholder for compiled ops')
    module.__path__ = []  # a package, so ``from mmcv.ops.x import y`` fails cleanly
    sys.modules['mmcv.ops'] = module
    # mmcv's transformer bricks warn at import that the deformable attention
    # op is missing; the placeholder above already reports it when used.
    warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')
    import mmcv
    mmcv.ops = module
    _lite = True
    return True
