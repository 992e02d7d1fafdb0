"""Decode heads: topology / connectivity heads and task heads."""
