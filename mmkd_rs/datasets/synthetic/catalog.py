"""Synthetic stand-ins for every dataset a config can name.

``prepare_synthetic(dataset_cfg, root)`` writes a small synthetic copy of the
dataset that ``dataset_cfg`` describes, *in the layout that config expects*
(its ``data_prefix`` folders and file suffixes), and returns the config with
``data_root`` pointing at it. The all-configs test and the quick benchmarks
use it, so that any config added later is exercised on data in its own
on-disk format. A dataset type without a synthetic writer raises
``NotImplementedError``: adding a dataset means adding its writer here.
"""
import copy
import os
import os.path as osp

import cv2
import numpy as np

__all__ = ['prepare_synthetic', 'dataset_class']


def dataset_class(dataset_type):
    """Resolve a dataset ``type`` (name or class) through the registry."""
    if not isinstance(dataset_type, str):
        return dataset_type
    from mmkd_rs.registry import DATASETS
    cls = DATASETS.get(dataset_type)
    if cls is None:
        raise KeyError(f'dataset type "{dataset_type}" is not registered')
    return cls


def _first(suffix):
    return suffix if isinstance(suffix, str) else tuple(suffix)[0]


def _write_bitemporal(cfg: dict, cls, root: str, num: int, size: int, seed: int) -> None:
    from .levir import synthesize_pair
    prefix = cfg.get('data_prefix', {})
    sig = _defaults(cls)
    img_suffix = _first(cfg.get('img_suffix', sig.get('img_suffix', '.png')))
    seg_suffix = _first(cfg.get('seg_map_suffix', sig.get('seg_map_suffix', '.png')))
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


def _defaults(cls) -> dict:
    import inspect
    out = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get('__init__')
        if init is None:
            continue
        for name, param in inspect.signature(init).parameters.items():
            if param.default is not inspect.Parameter.empty:
                out.setdefault(name, param.default)
    return out


_WRITERS = []  # (base class path, writer) pairs, filled by _register()


def _register():
    from mmkd_rs.datasets.change import BiTemporalDataset
    _WRITERS.append((BiTemporalDataset, _write_bitemporal))
    from mmkd_rs.datasets.roads import RoadSegDataset
    from .roads import write_for_dataset_config as _write_roads
    _WRITERS.append((RoadSegDataset, _write_roads))
    from mmkd_rs.datasets.sar_optical import SEN12MSDataset, SpaceNet6Dataset
    from .sen12ms import write_for_dataset_config as _write_sen12ms
    from .spacenet6 import write_for_dataset_config as _write_spacenet6
    _WRITERS.append((SpaceNet6Dataset, _write_spacenet6))
    _WRITERS.append((SEN12MSDataset, _write_sen12ms))


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
    if not _WRITERS:
        _register()
    cfg = copy.deepcopy(dict(dataset_cfg))
    cls = dataset_class(cfg['type'])
    for base, writer in _WRITERS:
        if issubclass(cls, base):
            writer(cfg, cls, root, num, size, seed)
            cfg['data_root'] = root
            return cfg
    raise NotImplementedError(
        f'no synthetic writer for dataset type {cls.__name__}; add one in {__name__}')
