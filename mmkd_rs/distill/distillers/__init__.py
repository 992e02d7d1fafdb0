"""Distillers: own recorders, connectors and distill losses of a method."""
from .configurable_distiller import ConfigurableDistiller
from .tskd_distiller import TSKDDistiller  # noqa: F401
from .mtkd_distiller import MTKDDistiller  # noqa: F401
