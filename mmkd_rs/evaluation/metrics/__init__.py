"""mmengine metrics registered in mmkd_rs.registry.METRICS."""
from .seg_metric import SegmentationMetric  # noqa: F401
