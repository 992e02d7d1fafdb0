"""Visualizers writing task-specific panels for tools/test.py --show-dir."""
from .change_visualizer import ChangeDetectionVisualizer  # noqa: F401
from .sar_visualizer import SAREOVisualizer  # noqa: F401
from .road_visualizer import RoadVisualizer  # noqa: F401
