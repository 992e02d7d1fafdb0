"""Command lines of ``tools/train.py`` / ``tools/test.py`` for one run.

``--cfg-options`` values are written so that mmengine's ``DictAction``
parses them back to the same Python values (nested dicts become dotted
keys).  A string containing a comma or brackets would be split by
``DictAction``; such values are refused with a clear error.
"""
from typing import List

__all__ = ['flatten_options', 'format_value', 'format_cfg_options']


def flatten_options(options: dict, prefix: str = '') -> dict:
    """``{'a': {'b': 1}}`` -> ``{'a.b': 1}`` (sorted by key)."""
    flat = {}
    for key in sorted(options):
        value = options[key]
        name = f'{prefix}{key}'
        if isinstance(value, dict) and value and 'type' not in value:
            flat.update(flatten_options(value, name + '.'))
        else:
            flat[name] = value
    return flat


def format_value(value, key: str = '?') -> str:
    """One cfg-option value as ``DictAction`` reads it."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        inner = ','.join(format_value(v, key) for v in value)
        if isinstance(value, list):
            return f'[{inner}]'
        return f'({inner},)' if len(value) == 1 else f'({inner})'
    if isinstance(value, str):
        if any(c in value for c in ',[]()"\'') or not value:
            raise ValueError(f'cfg-option {key}={value!r}: strings with commas, brackets '
                             'or quotes cannot be passed through --cfg-options')
        return value
    raise ValueError(f'cfg-option {key}={value!r}: type {type(value).__name__} cannot be '
                     'passed through --cfg-options (use numbers, strings, lists, tuples)')


def format_cfg_options(options: dict) -> List[str]:
    """``['key=value', ...]`` for ``--cfg-options`` (empty list for none)."""
    return [f'{k}={format_value(v, k)}' for k, v in flatten_options(options).items()]
