"""Task models: backbones, alignment necks, topology/connectivity heads, segmentors, losses."""
from . import backbones, data_preprocessors, heads, losses, necks, segmentors  # noqa: F401
