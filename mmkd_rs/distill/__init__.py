"""Distillation engine: algorithms (student + teachers), distillers, recorders, connectors, losses."""
from . import algorithms, connectors, distillers, hooks, losses  # noqa: F401
