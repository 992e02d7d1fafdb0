"""Segmentors: siamese change detection, multitask road networks, ..."""
from .siamese import SiameseChangeSegmentor  # noqa: F401
