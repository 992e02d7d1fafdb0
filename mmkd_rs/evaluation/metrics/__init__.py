"""mmengine metrics registered in mmkd_rs.registry.METRICS."""
from .seg_metric import SegmentationMetric  # noqa: F401
from .change_metric import ChangeDetectionMetric  # noqa: F401
from .road_metric import RoadMetric  # noqa: F401
