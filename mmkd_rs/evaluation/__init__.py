"""Evaluation: metrics of every family; functional holds the confusion matrix
and the scores read off it (one rule for empty cases, percent in reports);
graph/ holds mask->graph, APLS and TOPO.

``functional`` and ``metrics`` (torch, mmengine, mmseg) load on first access,
so ``mmkd_rs.evaluation.graph`` imports without them; the registries import
``mmkd_rs.evaluation.metrics`` themselves.
"""
import importlib

_LAZY = ('functional', 'metrics')


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f'{__name__}.{name}')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
