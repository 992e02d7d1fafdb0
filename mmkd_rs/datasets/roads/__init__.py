"""Road extraction: datasets, GeoTIFF/GeoJSON reading and per-tile label rasterisation."""
from .datasets import (DeepGlobeRoadsDataset, MassachusettsRoadsDataset, RoadSegDataset,
                       SpaceNet3RoadsDataset)

__all__ = ['RoadSegDataset', 'DeepGlobeRoadsDataset', 'SpaceNet3RoadsDataset',
           'MassachusettsRoadsDataset']
