"""SEN12MS paired Sentinel-1 / Sentinel-2 land-cover dataset (DFC2020 classes)."""
import glob
import os.path as osp
from typing import List

import numpy as np
from mmseg.datasets import BaseSegDataset

from mmkd_rs.registry import DATASETS
from .geo_io import SARDataError, SARFileNotFoundError

#: IGBP land-cover code (SEN12MS ``lc`` band 1, 1..17) -> DFC2020 simplified
#: class (0-based; 255 = ignore). The ten DFC2020 classes merge the IGBP
#: forest types, the two shrublands, the two savannas, and croplands with
#: the cropland / natural vegetation mosaic:
#:
#: =====  ==============================  ==================
#: IGBP   name                            DFC2020 (0-based)
#: =====  ==============================  ==================
#: 1-5    evergreen / deciduous / mixed   0 forest
#:        forests
#: 6, 7   closed / open shrublands        1 shrubland
#: 8, 9   woody savannas / savannas       2 savanna
#: 10     grasslands                      3 grassland
#: 11     permanent wetlands              4 wetlands
#: 12     croplands                       5 croplands
#: 13     urban and built-up              6 urban / built-up
#: 14     cropland / natural veg. mosaic  5 croplands
#: 15     permanent snow and ice          7 snow / ice
#: 16     barren                          8 barren
#: 17     water bodies                    9 water
#: 0      (no data)                       255 ignore
#: =====  ==============================  ==================
IGBP_TO_DFC2020 = np.full(256, 255, dtype=np.uint8)
IGBP_TO_DFC2020[1:18] = [0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 5, 7, 8, 9]


def s1_to_partner(s1_path: str, kind: str) -> str:
    """``.../ROIs1158_spring/s1_1/ROIs1158_spring_s1_1_p30.tif`` -> the
    ``s2`` or ``lc`` file of the same patch."""
    folder, name = osp.split(s1_path)
    root, scene = osp.split(folder)
    if not scene.startswith('s1_') or '_s1_' not in name:
        raise SARDataError(f'{s1_path}: not a SEN12MS s1 patch path '
                         '(<season>/s1_<scene>/<season>_s1_<scene>_p<n>.tif).')
    return osp.join(root, kind + scene[2:], name.replace('_s1_', f'_{kind}_'))


@DATASETS.register_module()
class SEN12MSDataset(BaseSegDataset):
    """SEN12MS: Sentinel-1 (2 bands, VV/VH in dB) + Sentinel-2 (13 bands).

    Layout: ``data_root/<ROIs..._season>/{s1,s2,lc}_<scene>/
    <ROIs..._season>_{s1,s2,lc}_<scene>_p<n>.tif``. Labels are the IGBP band
    of the ``lc`` file mapped to the 10 DFC2020 classes by
    :data:`IGBP_TO_DFC2020` (done by ``LoadSEN12MSLandCover``).

    Data infos hold ``sar_path`` (s1), ``eo_path`` (s2), ``seg_map_path``
    (lc) and ``img_path`` (= ``sar_path``).

    Args:
        ann_file (str): list of s1 paths relative to ``data_root``, one per
            line ('' = every ``*/s1_*/*.tif`` under ``data_root``).
    """
    METAINFO = dict(
        classes=('forest', 'shrubland', 'savanna', 'grassland', 'wetlands',
                 'croplands', 'urban', 'snow_ice', 'barren', 'water'),
        palette=[[0, 153, 0], [198, 176, 68], [251, 255, 19], [182, 255, 5],
                 [39, 255, 135], [194, 79, 68], [165, 165, 165],
                 [105, 255, 248], [249, 255, 164], [28, 13, 255]])
    synthetic_writer = 'mmkd_rs.datasets.synthetic.sen12ms.write_for_dataset_config'

    def __init__(self, ann_file: str = '', **kwargs) -> None:
        super().__init__(ann_file=ann_file, img_suffix='.tif',
                         seg_map_suffix='.tif', **kwargs)

    def load_data_list(self) -> List[dict]:
        root = self.data_root or ''
        if self.ann_file:
            with open(self.ann_file) as f:
                s1 = [osp.join(root, line.strip()) for line in f
                      if line.strip()]
        else:
            s1 = sorted(glob.glob(osp.join(root, '*', 's1_*', '*.tif')))
        if not s1:
            raise SARFileNotFoundError(f'No SEN12MS s1 patches under {root}.')
        data_list = []
        for path in s1:
            eo, lc = s1_to_partner(path, 's2'), s1_to_partner(path, 'lc')
            for p in (path, eo, lc):
                if not osp.isfile(p):
                    raise SARFileNotFoundError(f'SEN12MS file missing: {p}')
            data_list.append(dict(
                img_path=path, sar_path=path, eo_path=eo, seg_map_path=lc,
                orientation_flip=False, label_map=None,
                reduce_zero_label=False, seg_fields=[]))
        return data_list
