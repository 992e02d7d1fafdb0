"""Deterministic synthetic data generators writing real datasets' on-disk formats."""
from .levir import generate_synthetic_levir, synthesize_pair  # noqa: F401
from .spacenet6 import generate_synthetic_spacenet6  # noqa: F401
