"""Paired SAR / EO datasets (SpaceNet 6, SEN12MS) and their geo I/O."""
from .geo_io import (check_modality_raster, check_same_footprint, rasterize_footprints,
                     read_orientations, sar_nodata_mask)
from .sen12ms import IGBP_TO_DFC2020, SEN12MSDataset
from .spacenet6 import SpaceNet6Dataset

__all__ = [
    'check_modality_raster', 'sar_nodata_mask', 'check_same_footprint',
    'rasterize_footprints', 'read_orientations', 'SpaceNet6Dataset',
    'SEN12MSDataset', 'IGBP_TO_DFC2020'
]
