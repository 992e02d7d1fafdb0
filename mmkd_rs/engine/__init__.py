"""Engine additions: hooks and loops."""
