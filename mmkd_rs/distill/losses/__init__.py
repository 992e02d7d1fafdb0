"""Distill losses."""
from .affinity import PairwiseAffinityLoss
from .at import ATLoss
from .cwd import ChannelWiseDivergence
from .dist import DISTLoss
from .fitnet import FitNetLoss
from .kd import KDLoss
from .mgd import MGDLoss
from .bfdd import BiTemporalFeatureDistanceLoss  # noqa: F401
from .ccrd import ContrastiveClusterRepresentationLoss  # noqa: F401
from .hfd import HFDLoss  # noqa: F401
from .topo_space import TopologicalSpaceLoss  # noqa: F401
from .disoptnet import TeacherArgmaxSegLoss  # noqa: F401
from .ifvd import IFVDLoss  # noqa: F401
from .cirkd import CIRKDLoss  # noqa: F401
from .dkd import DKDLoss  # noqa: F401
