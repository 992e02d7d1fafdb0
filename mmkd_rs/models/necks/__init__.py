"""Necks: multi-scale fusion and heterogeneous (SAR/EO) alignment necks."""
from .flow_align import FlowAlignUpsample  # noqa: F401
from .hfam import HFAMNeck  # noqa: F401
from .bitemporal_fusion import BiTemporalFusionNeck  # noqa: F401
