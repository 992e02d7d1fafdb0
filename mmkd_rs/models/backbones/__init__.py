"""Backbones added by the suite (mmseg backbones are usable by name too)."""
from .hourglass import StackedHourglassGA  # noqa: F401
from .linknet import LinkNet  # noqa: F401
from .dlinknet import DLinkNet  # noqa: F401
