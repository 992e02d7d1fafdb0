"""User-facing errors: one clear paragraph instead of a deep traceback.

Tools wrap their work in :func:`user_errors`; exceptions that come from the
user's input (a missing file, an unknown ``type`` in a config, a dataset that
is not where the config says) are turned into a short message on stderr and
exit status 2. Anything else is a bug and keeps its traceback.
"""
import difflib
import re
import sys
from contextlib import contextmanager

__all__ = ['UserError', 'DatasetNotFoundError', 'user_errors', 'explain_unknown_type']


class UserError(Exception):
    """An error caused by the user's input, printed without a traceback."""


class DatasetNotFoundError(UserError, FileNotFoundError):
    """A dataset's ``data_root`` (or a required sub-folder) is missing.

    Args:
        dataset (str): Dataset class name.
        path (str): The missing path.
        layout (str): The expected on-disk layout (multi-line text).
        prepare (str): The command that converts or generates the data.
    """

    def __init__(self, dataset: str, path: str, layout: str = '', prepare: str = ''):
        msg = f'{dataset}: data not found at "{path}".'
        if layout:
            msg += '\nExpected layout:\n' + layout.rstrip()
        if prepare:
            msg += '\nTo prepare it:\n  ' + prepare.strip()
        msg += ('\nSet the location with --cfg-options '
                'train_dataloader.dataset.data_root=... (and val/test), or edit the config.')
        super().__init__(msg)


_UNKNOWN_TYPE = re.compile(r'(\S+) is not in the (\S+?)::(.+?) registry')


def _registry_names(scope: str, registry_name: str):
    """All names visible from ``scope``'s registry called ``registry_name``."""
    try:
        from mmkd_rs import registry as ours
    except Exception:  # pragma: no cover
        return []
    for obj in vars(ours).values():
        if getattr(obj, 'name', None) == registry_name and hasattr(obj, '_module_dict'):
            obj.import_from_location()
            names, reg = set(), obj
            while reg is not None:
                names.update(reg._module_dict)
                reg = reg.parent
            return sorted(names)
    return []


def explain_unknown_type(message: str):
    """Rewrite mmengine's "X is not in the scope::name registry" KeyError.

    Returns:
        str or None: A paragraph naming the registry, the scope and close
        matches, or None if ``message`` is not such an error.
    """
    match = _UNKNOWN_TYPE.search(message)
    if match is None:
        return None
    key, scope, reg_name = match.group(1).strip('`\'"'), match.group(2), match.group(3)
    names = _registry_names(scope, reg_name)
    close = difflib.get_close_matches(key, names, n=5, cutoff=0.5)
    text = (f'Unknown type "{key}" in the config: it is not registered in the '
            f'"{reg_name}" registry of scope "{scope}" (nor in its parents mmseg/mmengine).')
    if close:
        text += ' Did you mean: ' + ', '.join(close) + '?'
    text += (' If it comes from your own package, import it with '
             "custom_imports = dict(imports=['your_package'], allow_failed_imports=False). "
             'List what is registered with: python tools/misc/list_modules.py')
    return text


def _describe(exc: BaseException):
    """Return a user-facing paragraph for ``exc`` or None if it is a bug."""
    from mmkd_rs.utils.checkpoint_safety import UnsafeCheckpointError
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (UserError, UnsafeCheckpointError)):
            return str(exc)
        if isinstance(exc, KeyError):
            text = explain_unknown_type(str(exc))
            if text:
                return text
        exc = exc.__cause__ or exc.__context__
    return None


@contextmanager
def user_errors(tool: str = 'mmkd_rs'):
    """Print user errors as one paragraph and exit with status 2."""
    try:
        yield
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: B902
        text = _describe(exc)
        if text is None:
            raise
        sys.stderr.write(f'\n{tool}: error: {text}\n')
        sys.stderr.flush()
        raise SystemExit(2) from None
