"""Data preprocessors: bi-temporal and paired-modality normalisation."""
from .paired import PairedModalityDataPreProcessor  # noqa: F401
from .bitemporal import BiTemporalDataPreProcessor  # noqa: F401
