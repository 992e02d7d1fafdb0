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

__all__ = ['UserError', 'DataFileError', 'DataFileNotFoundError', 'DatasetNotFoundError',
           'user_errors', 'explain_unknown_type']


class UserError(Exception):
    """An error caused by the user's input, printed without a traceback."""


class DataFileError(UserError, ValueError):
    """A data file that cannot be used as it is (unreadable, truncated, wrong
    size, bands or values); the message names the file and what was expected.

    A ``ValueError`` too, so that code catching the former plain errors keeps
    working; a user error, so that the tools print it as one paragraph (also
    when it is raised in a dataloader worker process).
    """


class DataFileNotFoundError(UserError, FileNotFoundError):
    """A file a sample needs (a partner date, a label, a mask) is missing."""


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


_WORKER_TRACEBACK = 'Original Traceback (most recent call last):\n'
# mmcv's LoadImageFromFile asserts this when OpenCV cannot decode a file
_MMCV_UNDECODABLE = re.compile(r'^failed to load image: (.+)$', re.S)


def _without_worker_traceback(text: str, exc: BaseException) -> str:
    """The original message of an error re-raised from a dataloader worker.

    torch re-raises a worker's exception in the main process with the same
    type and a message holding the worker's whole traceback; the user error
    is its last entry (``module.Type: message``, possibly several lines).
    """
    if _WORKER_TRACEBACK not in text:
        return text
    tail = text.split(_WORKER_TRACEBACK, 1)[1]
    match = None
    for match in re.finditer(rf'^(?:[\w.]+\.)?{type(exc).__name__}: ', tail, re.M):
        pass
    return tail[match.end():].rstrip('\n') if match else text


def _describe(exc: BaseException):
    """Return a user-facing paragraph for ``exc`` or None if it is a bug."""
    from mmkd_rs.utils.checkpoint_safety import UnsafeCheckpointError
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (UserError, UnsafeCheckpointError)):
            return _without_worker_traceback(str(exc), exc)
        if isinstance(exc, AssertionError):
            match = _MMCV_UNDECODABLE.match(_without_worker_traceback(str(exc), exc))
            if match:
                return (f'cannot decode image file "{match.group(1)}": it is empty, '
                        'truncated or not an image of a format OpenCV reads. Replace the '
                        'file or remove the sample from the dataset.')
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
