"""Datasets of the task families (change detection, roads, SAR/EO) and their transforms."""
from . import transforms  # noqa: F401
from .change_ratio import ChangeRatioPartitionSampler  # noqa: F401
from .change import (BiTemporalDataset, CDDDataset, DSIFNCDDataset,  # noqa: F401
                     LEVIRCDDataset, S2LookingDataset, WHUCDDataset)
from .sar_optical import SEN12MSDataset, SpaceNet6Dataset  # noqa: F401
from .roads import (DeepGlobeRoadsDataset, MassachusettsRoadsDataset,  # noqa: F401
                    RoadSegDataset, SpaceNet3RoadsDataset)
