"""Datasets of the task families (change detection, roads, SAR/EO) and their transforms."""
from . import transforms  # noqa: F401
