"""Build-time checks of distillation wiring, with helpful error messages.

A wrong module path, recorder name or loss argument must fail when the model
is built (listing what exists and the closest matches), never at iteration
1000 of a run.
"""
import difflib
import inspect
from typing import Iterable, List

from ..utils.errors import UserError


class DistillConfigError(UserError, ValueError):
    """The distillation part of a config is inconsistent (a user error: the tools
    print it as one paragraph and exit with status 2)."""


def suggest(name: str, choices: Iterable[str], max_listed: int = 30) -> str:
    """Return ``'; did you mean ...? Valid choices: ...'`` for an error text."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.5)
    hint = f'; did you mean {" or ".join(repr(c) for c in close)}?' if close else ''
    listed = ', '.join(choices[:max_listed])
    more = f', ... ({len(choices) - max_listed} more)' if len(choices) > max_listed else ''
    return f'{hint} Valid choices: {listed}{more}'


def check_name(name: str, choices: Iterable[str], what: str, where: str) -> None:
    """Raise :class:`DistillConfigError` if ``name`` is not in ``choices``."""
    choices = list(choices)
    if name not in choices:
        raise DistillConfigError(f'{where}: unknown {what} {name!r}' + suggest(name, choices))


def forward_arguments(loss_module) -> List[inspect.Parameter]:
    """Named parameters of ``loss_module.forward`` (no ``*args``/``**kwargs``)."""
    params = inspect.signature(loss_module.forward).parameters.values()
    return [p for p in params
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def check_loss_mapping(loss_name: str, loss_module, mapping: dict) -> None:
    """Check a loss's argument mapping against its ``forward`` signature.

    Every mapped name must be an argument of ``forward`` and every argument
    without a default must be mapped.
    """
    where = f'loss_forward_mappings[{loss_name!r}]'
    params = forward_arguments(loss_module)
    names = [p.name for p in params]
    for arg in mapping:
        check_name(arg, names, f'argument of {type(loss_module).__name__}.forward', where)
    required = [p.name for p in params if p.default is inspect.Parameter.empty]
    missing = [n for n in required if n not in mapping]
    if missing:
        raise DistillConfigError(
            f'{where}: {type(loss_module).__name__}.forward needs the argument(s) '
            f'{missing}, which are not mapped. Map every one of {names} without a '
            'default to a recorder, e.g. '
            "dict(from_student=True, recorder='logits').")
