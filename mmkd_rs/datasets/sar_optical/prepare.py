"""Split lists and band statistics for paired SAR / EO datasets (used by
``tools/dataset_converters/{spacenet6,sen12ms}.py``)."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmkd_rs.geo import read_raster
from .geo_io import check_modality_raster, sar_nodata_mask
from .spacenet6 import index_tiles

#: SpaceNet 6 baseline validation strip: tiles whose SAR west edge lies at
#: or east of this easting (m, UTM 31N) form the validation split (the
#: easternmost of five equal easting groups over 591550..596250 m E).
SN6_VAL_MIN_EASTING = 591550.0 + 4 / 5 * (596250.0 - 591550.0)


def split_spacenet6(root: str, sar_dir: str = 'SAR-Intensity',
                    val_min_easting: float = SN6_VAL_MIN_EASTING
                    ) -> Tuple[Dict[str, List[str]], List[str]]:
    """Split SpaceNet 6 tiles by easting, dropping tiles without valid SAR.

    Returns:
        tuple: ``{'train': ids, 'val': ids}`` and the dropped tile ids.
    """
    splits, dropped = dict(train=[], val=[]), []
    for tid, path in sorted(index_tiles(osp.join(root, sar_dir),
                                        '.tif').items()):
        sar, profile = read_raster(path, decoder='gdal')
        check_modality_raster(path, sar)
        if sar_nodata_mask(sar, profile['nodata']).all():
            dropped.append(tid)
            continue
        west = profile['transform'].c
        splits['val' if west >= val_min_easting else 'train'].append(tid)
    return splits, dropped


def band_stats(paths: Sequence[str], to_db: bool = False,
               clip: Optional[Tuple[float, float]] = None,
               nodata_from_nan: bool = True) -> Dict[str, List[float]]:
    """Per-band mean / std over the valid pixels of ``paths``.

    ``to_db`` applies ``10 * log10(max(x, 1e-6))`` first; ``clip`` clips the
    (dB) values, as ``SARToDecibel`` does in the pipeline.
    """
    total, total_sq, count = None, None, 0
    for path in paths:
        img, profile = read_raster(path, decoder='gdal')
        check_modality_raster(path, img)
        declared = profile['nodata']
        img = img.astype(np.float64)
        valid = ~sar_nodata_mask(img, declared) if nodata_from_nan \
            else np.ones(img.shape[:2], bool)
        x = img[valid]
        if to_db:
            x = 10 * np.log10(np.maximum(x, 1e-6))
        if clip is not None:
            x = np.clip(x, *clip)
        total = x.sum(0) if total is None else total + x.sum(0)
        total_sq = (x ** 2).sum(0) if total_sq is None \
            else total_sq + (x ** 2).sum(0)
        count += len(x)
    if not count:
        raise ValueError('No valid pixel to compute band statistics from.')
    mean = total / count
    std = np.sqrt(np.maximum(total_sq / count - mean ** 2, 0))
    return dict(mean=[round(float(v), 4) for v in mean],
                std=[round(float(v), 4) for v in std], pixels=int(count))


def write_splits(out_dir: str, splits: Dict[str, List[str]],
                 stats: Optional[dict] = None) -> None:
    """Write ``<split>.txt`` (one id per line) and ``stats.json``."""
    os.makedirs(out_dir, exist_ok=True)
    for name, ids in splits.items():
        with open(osp.join(out_dir, f'{name}.txt'), 'w') as f:
            f.writelines(i + '\n' for i in ids)
    if stats is not None:
        with open(osp.join(out_dir, 'stats.json'), 'w') as f:
            json.dump(stats, f, indent=2)
