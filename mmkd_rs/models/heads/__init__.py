"""Decode heads: topology / connectivity heads and task heads."""
from .disoptnet_fusion_head import DisOptNetFusionHead, SCSEBlock  # noqa: F401
from .road_connectivity_head import RoadConnectivityHead  # noqa: F401
