"""Evaluation: metrics of every family; graph/ holds mask->graph, APLS and TOPO."""
from . import metrics  # noqa: F401
