"""Segmentors: siamese change detection, multitask road networks, ..."""
from .siamese import SiameseChangeSegmentor  # noqa: F401
from .road_multitask import RoadMultitaskSegmentor  # noqa: F401
from .disoptnet import DisOptNet  # noqa: F401
