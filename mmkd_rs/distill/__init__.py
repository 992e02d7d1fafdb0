"""Distillation engine: algorithms (student + teachers), distillers, recorders, connectors, losses."""
