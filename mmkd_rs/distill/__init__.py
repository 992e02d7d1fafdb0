"""Distillation engine: algorithms (student + teachers), distillers, recorders, connectors, losses."""
from . import algorithms, connectors, distillers, losses  # noqa: F401
