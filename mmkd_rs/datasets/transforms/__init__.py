"""Transforms: bi-temporal and paired-modality (shared geometry) transforms."""
from .paired import (PackPairedSegInputs, PairedRandomCrop,  # noqa: F401
                     PairedRandomFlip, PairedRandomRot90)
from .sar_optical_loading import (LoadBuildingFootprints,  # noqa: F401
                                  LoadPairedModalities, LoadSEN12MSLandCover)
from .sar_radiometry import MaskSARNoData, SARToDecibel, SelectBands  # noqa: F401
