"""Inference APIs: the deployed network of a config on rasters of any size.

* :func:`init_model`: build the network (a distillation config's student)
  and load a checkpoint (plain, extracted student or distillation).
* :class:`RSInferencer`: windowed prediction of bi-temporal pairs, SAR tiles
  and road tiles into GeoTIFF masks, probabilities and GeoJSON vectors
  (``tools/infer.py`` is its command line).
"""
from .inferencer import IMAGE_SUFFIXES, RSInferencer, collect_inputs
from .model import init_model, load_weights
from .windows import WindowPlan

__all__ = ['RSInferencer', 'init_model', 'load_weights', 'collect_inputs', 'WindowPlan',
           'IMAGE_SUFFIXES']
