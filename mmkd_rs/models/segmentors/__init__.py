"""Segmentors: siamese change detection, multitask road networks, ..."""
