"""Transforms: bi-temporal and paired-modality (shared geometry) transforms."""
