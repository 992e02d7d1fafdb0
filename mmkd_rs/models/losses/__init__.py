"""Task losses (soft-IoU, class-balanced CE, ...). Distill losses live in mmkd_rs.distill.losses."""
from .soft_iou import SoftIoULoss  # noqa: F401
from .balanced_ce import ClassBalancedCrossEntropyLoss  # noqa: F401
from .class_mean_dice import ClassMeanDiceLoss  # noqa: F401
