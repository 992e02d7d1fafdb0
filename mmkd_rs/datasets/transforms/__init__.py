"""Transforms: bi-temporal and paired-modality transforms on one shared
geometry (``geometry``); what each records of its random draw (``replay``)."""
from .bitemporal import (BiTemporalPhotoMetricDistortion, BiTemporalRandomCrop,  # noqa: F401
                         BiTemporalRandomFlip, BiTemporalRandomRot90, BiTemporalRandomRotate,
                         BiTemporalResize, BiTemporalSwap, LoadBiTemporalAnnotations,
                         LoadBiTemporalImages, PackBiTemporalInputs)
from .geometry import (SharedGeometry, SharedRandomCrop,  # noqa: F401
                       SharedRandomFlip, SharedRandomRot90)
from .paired import (PackPairedSegInputs, PairedRandomCrop,  # noqa: F401
                     PairedRandomFlip, PairedRandomRot90)
from .sar_optical_loading import (LoadBuildingFootprints,  # noqa: F401
                                  LoadPairedModalities, LoadSEN12MSLandCover)
from .sar_radiometry import MaskSARNoData, SARToDecibel, SelectBands  # noqa: F401
from .roads import LoadRoadAnnotations, PackRoadInputs  # noqa: F401
from .replay import (EXTERNAL, REPLAY_OPS, ReplayOp, ReplaySpec,  # noqa: F401
                     replay_op, replay_spec)
