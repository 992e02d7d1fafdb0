"""Distill losses."""
