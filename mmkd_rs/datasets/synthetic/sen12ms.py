"""Tiny synthetic SEN12MS patches (s1 / s2 / lc) in the SEN12MS layout.

Each patch has a few land-cover regions (IGBP codes); Sentinel-1 VV/VH (dB)
and Sentinel-2 (13 bands, reflectance x 10000) take a class-dependent
level plus noise. Layout::

    root/ROIs1158_spring/{s1,s2,lc}_<scene>/ROIs1158_spring_{s1,s2,lc}_<scene>_p<n>.tif
    root/splits/{train,val}.txt   (s1 paths relative to root)
"""
import os
import os.path as osp
from typing import Dict, List

import numpy as np
import rasterio
from rasterio.transform import from_origin

SEASON = 'ROIs1158_spring'
#: IGBP codes drawn, and their mean S1 dB (VV, VH) and S2 brightness.
_IGBP = {1: (-8.0, -14.0, 900), 10: (-11.0, -18.0, 1600),
         12: (-10.0, -17.0, 2000), 13: (-5.0, -11.0, 2400),
         17: (-20.0, -26.0, 400)}


def _write(path: str, array: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with rasterio.open(path, 'w', driver='GTiff', height=array.shape[1],
                       width=array.shape[2], count=array.shape[0],
                       dtype=array.dtype, crs='EPSG:32632',
                       transform=from_origin(500000, 5300000, 10, 10)) as dst:
        dst.write(array)


def generate_synthetic_sen12ms(root: str, num_patches: int = 6,
                               size: int = 64,
                               seed: int = 0) -> Dict[str, List[str]]:
    """Write ``num_patches`` synthetic patches; returns the split lists."""
    rng = np.random.default_rng(seed)
    codes = np.array(sorted(_IGBP))
    rel = []
    for n in range(num_patches):
        scene = n // 2 + 1
        yy, xx = np.mgrid[0:size, 0:size]
        cuts = rng.uniform(0.2, 0.8, 2) * size
        region = (yy > cuts[0]).astype(int) * 2 + (xx > cuts[1])
        igbp = rng.choice(codes, 4, replace=False)[region].astype(np.uint16)
        s1 = np.zeros((2, size, size), np.float32)
        s2 = np.zeros((13, size, size), np.uint16)
        for code, (vv, vh, bright) in _IGBP.items():
            m = igbp == code
            s1[0][m], s1[1][m] = vv, vh
            s2[:, m] = bright
        s1 += rng.normal(0, 1.5, s1.shape).astype(np.float32)
        s2 = (s2 + rng.integers(0, 200, s2.shape)).astype(np.uint16)
        lc = np.stack([igbp] + [np.zeros_like(igbp)] * 3)
        name = f'{SEASON}_{{}}_{scene}_p{n}.tif'
        for kind, array in (('s1', s1), ('s2', s2), ('lc', lc)):
            _write(osp.join(root, SEASON, f'{kind}_{scene}',
                            name.format(kind)), array)
        rel.append(osp.join(SEASON, f's1_{scene}', name.format('s1')))
    splits = dict(train=rel[:-1] if len(rel) > 1 else rel, val=rel[-1:])
    os.makedirs(osp.join(root, 'splits'), exist_ok=True)
    for split, items in splits.items():
        with open(osp.join(root, 'splits', f'{split}.txt'), 'w') as f:
            f.writelines(i + '\n' for i in items)
    return splits


def write_for_dataset_config(cfg: dict, cls, root: str, num: int, size: int,
                             seed: int) -> None:
    """Catalog writer (``mmkd_rs.datasets.synthetic.catalog``)."""
    generate_synthetic_sen12ms(root, num_patches=max(num, 2) + 1, size=size,
                               seed=seed)
