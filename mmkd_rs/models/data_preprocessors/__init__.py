"""Data preprocessors: bi-temporal and paired-modality normalisation."""
