"""Necks: multi-scale fusion and heterogeneous (SAR/EO) alignment necks."""
