"""Deterministic synthetic data generators writing real datasets' on-disk formats."""
