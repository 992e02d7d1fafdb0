"""Benchmark records, aggregation into leaderboards, tables and plots.

Modules (one concept each):

* :mod:`.suite` - suite files (entries, seeds, data, leaderboards)
* :mod:`.runner` - train / test / measure each run, write records
* :mod:`.emit` - the same runs as a shell script for torchrun or Slurm
* :mod:`.records` - the result-record schema (one JSON per run)
* :mod:`.complexity`, :mod:`.measure`, :mod:`.dummy_inputs`,
  :mod:`.model_parts` - params, FLOPs, FPS of students and teachers
* :mod:`.aggregate`, :mod:`.tables`, :mod:`.plots`, :mod:`.leaderboard`,
  :mod:`.readme_markers` - records -> leaderboards and README tables

The names below are resolved on first access (PEP 562), so reading records
and writing leaderboards (``tools/leaderboard.py``) never imports torch.
"""
import importlib

_LAZY = dict(count_params='complexity', count_flops='complexity', measure_fps='complexity',
             measure_forward_ms='complexity', build_dummy_batch='dummy_inputs')

__all__ = ['count_params', 'count_flops', 'measure_fps', 'measure_forward_ms',
           'build_dummy_batch']


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    value = getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
