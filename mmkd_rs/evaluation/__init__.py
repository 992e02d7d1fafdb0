"""Evaluation: metrics of every family; functional holds the confusion matrix
and the scores read off it (one rule for empty cases, percent in reports);
graph/ holds mask->graph, APLS and TOPO."""
from . import functional, metrics  # noqa: F401
