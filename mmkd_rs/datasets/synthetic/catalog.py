"""Synthetic stand-ins for every dataset a config can name.

``prepare_synthetic(dataset_cfg, root)`` writes a small synthetic copy of the
dataset that ``dataset_cfg`` describes, *in the layout that config expects*
(its ``data_prefix`` folders and file suffixes), and returns the config with
``data_root`` pointing at it. The all-configs test and the quick benchmarks
use it, so that any config added later is exercised on data in its own
on-disk format.

A dataset class names its writer in the class attribute ``synthetic_writer``,
the dotted path of a function ``writer(cfg, cls, root, num, size, seed)``
(subclasses inherit it)::

    @DATASETS.register_module()
    class MyDataset(BaseSegDataset):
        synthetic_writer = 'my_package.synthetic.write_for_dataset_config'

A dataset class without one raises ``NotImplementedError`` saying so, and
``tests/datasets/test_synthetic_catalog.py`` fails for every registered
dataset of the suite that lacks one.
"""
import copy
import importlib
import inspect
import os
import os.path as osp
from typing import Callable

import cv2
import numpy as np

__all__ = ['prepare_synthetic', 'dataset_class', 'synthetic_writer', 'dataset_defaults',
           'first_suffix', 'write_bitemporal']


def dataset_class(dataset_type):
    """Resolve a dataset ``type`` (name or class) through the registry."""
    if not isinstance(dataset_type, str):
        return dataset_type
    from mmkd_rs.registry import DATASETS
    cls = DATASETS.get(dataset_type)
    if cls is None:
        raise KeyError(f'dataset type "{dataset_type}" is not registered')
    return cls


def first_suffix(suffix) -> str:
    """The first of one suffix or a sequence of suffixes."""
    return suffix if isinstance(suffix, str) else tuple(suffix)[0]


def dataset_defaults(cls) -> dict:
    """Default values of the constructor arguments of ``cls`` and its bases
    (the most derived class's default first)."""
    out = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get('__init__')
        if init is None:
            continue
        for name, param in inspect.signature(init).parameters.items():
            if param.default is not inspect.Parameter.empty:
                out.setdefault(name, param.default)
    return out


def write_bitemporal(cfg: dict, cls, root: str, num: int, size: int, seed: int) -> None:
    """Writer of the bi-temporal datasets: ``num`` synthetic LEVIR-CD pairs of
    ``size`` px (:func:`~mmkd_rs.datasets.synthetic.levir.synthesize_pair`)
    in the folders (``data_prefix`` ``img_path`` / ``img_path2`` /
    ``seg_map_path``) and with the first suffixes ``cfg`` (else ``cls``'s
    defaults) names."""
    from .levir import synthesize_pair
    prefix = cfg.get('data_prefix', {})
    defaults = dataset_defaults(cls)
    img_suffix = first_suffix(cfg.get('img_suffix', defaults.get('img_suffix', '.png')))
    seg_suffix = first_suffix(cfg.get('seg_map_suffix', defaults.get('seg_map_suffix', '.png')))
    folders = (prefix['img_path'], prefix['img_path2'], prefix.get('seg_map_path'))
    for folder in folders:
        if folder:
            os.makedirs(osp.join(root, folder), exist_ok=True)
    for index in range(num):
        tile = synthesize_pair(np.random.default_rng([seed, index]), size=size)
        name = f'synthetic_{index:03d}'
        cv2.imwrite(osp.join(root, folders[0], name + img_suffix), tile['img_a'][..., ::-1])
        cv2.imwrite(osp.join(root, folders[1], name + img_suffix), tile['img_b'][..., ::-1])
        if folders[2]:
            cv2.imwrite(osp.join(root, folders[2], name + seg_suffix), tile['label'])


def synthetic_writer(cls) -> Callable:
    """The function dataset class ``cls`` names in ``synthetic_writer``.

    Raises:
        NotImplementedError: ``cls`` (and its bases) name none.
        ImportError: the named function cannot be imported.
    """
    path = getattr(cls, 'synthetic_writer', None)
    if path is None:
        raise NotImplementedError(
            f'no synthetic writer for dataset type {cls.__name__}: give the class (or a base) '
            "the attribute synthetic_writer = 'package.module.function', a function "
            '(cfg, cls, root, num, size, seed) writing num samples in the layout cfg names '
            '(see docs/extending.md)')
    if callable(path):
        return path
    module, _, name = path.rpartition('.')
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as err:
        raise ImportError(f'{cls.__name__}.synthetic_writer = {path!r} cannot be imported: '
                          f'{err}') from None


def prepare_synthetic(dataset_cfg: dict, root: str, num: int = 4, size: int = 256,
                      seed: int = 0) -> dict:
    """Write synthetic data for ``dataset_cfg`` under ``root``.

    Args:
        dataset_cfg (dict): A dataset config (``type``, ``data_prefix``, ...).
        root (str): Folder to write into; becomes the returned ``data_root``.
        num (int): Number of samples.
        size (int): Tile side in pixels.
        seed (int): Seed of the generator.

    Returns:
        dict: A copy of ``dataset_cfg`` with ``data_root=root``.
    """
    cfg = copy.deepcopy(dict(dataset_cfg))
    cls = dataset_class(cfg['type'])
    synthetic_writer(cls)(cfg, cls, root, num, size, seed)
    cfg['data_root'] = root
    return cfg
