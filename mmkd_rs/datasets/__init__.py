"""Datasets of the task families (change detection, roads, SAR/EO) and their transforms."""
from . import transforms  # noqa: F401
from .sar_optical import SEN12MSDataset, SpaceNet6Dataset  # noqa: F401
