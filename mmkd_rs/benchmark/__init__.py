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
"""
from .complexity import count_flops, count_params, measure_forward_ms, measure_fps
from .dummy_inputs import build_dummy_batch

__all__ = ['count_params', 'count_flops', 'measure_fps', 'measure_forward_ms',
           'build_dummy_batch']
