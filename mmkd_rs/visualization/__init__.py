"""Visualizers writing task-specific panels for tools/test.py --show-dir."""
