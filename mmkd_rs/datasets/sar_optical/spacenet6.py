"""SpaceNet 6 (Rotterdam) paired SAR / EO building segmentation dataset."""
import glob
import os.path as osp
from typing import Dict, List, Optional

from mmseg.datasets import BaseSegDataset

from mmkd_rs.registry import DATASETS
from mmkd_rs.utils.errors import DatasetNotFoundError
from .geo_io import (SARDataError, SARFileNotFoundError, read_orientations,
                     strip_of_tile, tile_id)


def index_tiles(folder: str, suffix: str) -> Dict[str, str]:
    """Map tile id (``<start>_<end>_tile_<n>``) -> file path in ``folder``."""
    paths = sorted(glob.glob(osp.join(folder, f'*{suffix}')))
    return {tile_id(p): p for p in paths}


LAYOUT = '''  data_root/SAR-Intensity/*_SAR-Intensity_<start>_<end>_tile_<n>.tif
  data_root/PS-RGB/*_PS-RGB_<start>_<end>_tile_<n>.tif
  data_root/geojson_buildings/*_Buildings_<start>_<end>_tile_<n>.geojson
  data_root/SummaryData/SAR_orientations.txt
  data_root/splits/{train,val}.txt'''
PREPARE = ('python tools/dataset_converters/spacenet6.py <SN6 train folder> '
           '(real data), or python tools/dataset_converters/'
           'generate_synthetic_spacenet6.py data/synthetic_spacenet6')


@DATASETS.register_module()
class SpaceNet6Dataset(BaseSegDataset):
    """SpaceNet 6 building footprints on paired SAR-Intensity / PS-RGB tiles.

    On-disk layout (the challenge's, plus our split lists)::

        data_root/
          SAR-Intensity/*_SAR-Intensity_<start>_<end>_tile_<n>.tif  4 x float32
          PS-RGB/*_PS-RGB_<start>_<end>_tile_<n>.tif                3 x uint8
          geojson_buildings/*_Buildings_<start>_<end>_tile_<n>.geojson
          SummaryData/SAR_orientations.txt
          splits/{train,val}.txt   one tile id per line
                                   (tools/dataset_converters/spacenet6.py)

    Each data info holds ``sar_path``, ``eo_path``, ``seg_map_path`` (the
    geojson), ``img_path`` (= ``sar_path``; the loading transform replaces it
    by the student modality's file), ``tile_id`` and ``orientation_flip``
    (True when the tile's strip has orientation 1 in
    ``SAR_orientations.txt``: the loader turns such tiles by 180 degrees, see
    :mod:`mmkd_rs.datasets.sar_optical.geo_io`).

    Args:
        ann_file (str): split list relative to ``data_root``; '' = all tiles
            found in ``sar_dir``.
        sar_dir / eo_dir / label_dir (str): sub-folders of ``data_root``.
        orientation_file (str, optional): relative path of
            ``SAR_orientations.txt``; None disables the orientation flip.
        require_eo (bool): raise when a SAR tile has no EO partner (needed
            for paired training and EO teachers; SAR-only test sets may set
            False).
    """
    METAINFO = dict(classes=('background', 'building'),
                    palette=[[0, 0, 0], [255, 200, 0]])
    synthetic_writer = 'mmkd_rs.datasets.synthetic.spacenet6.write_for_dataset_config'

    def __init__(self,
                 ann_file: str = '',
                 sar_dir: str = 'SAR-Intensity',
                 eo_dir: str = 'PS-RGB',
                 label_dir: Optional[str] = 'geojson_buildings',
                 orientation_file: Optional[str] = 'SummaryData/SAR_orientations.txt',
                 require_eo: bool = True,
                 **kwargs) -> None:
        self.sar_dir, self.eo_dir, self.label_dir = sar_dir, eo_dir, label_dir
        self.orientation_file = orientation_file
        self.require_eo = require_eo
        super().__init__(ann_file=ann_file, img_suffix='.tif',
                         seg_map_suffix='.geojson', **kwargs)

    def _path(self, sub: Optional[str]) -> Optional[str]:
        if sub is None:
            return None
        return sub if osp.isabs(sub) else osp.join(self.data_root or '', sub)

    def load_data_list(self) -> List[dict]:
        sar = index_tiles(self._path(self.sar_dir), '.tif')
        if not sar:
            raise DatasetNotFoundError(
                'SpaceNet6Dataset', self._path(self.sar_dir), LAYOUT,
                PREPARE)
        eo = index_tiles(self._path(self.eo_dir), '.tif') if self.eo_dir \
            else {}
        labels = index_tiles(self._path(self.label_dir), '.geojson') \
            if self.label_dir else {}
        orientations = {}
        if self.orientation_file:
            orientations = read_orientations(self._path(self.orientation_file))

        ids = sorted(sar)
        if self.ann_file:
            with open(self.ann_file) as f:
                ids = [line.strip() for line in f if line.strip()]
        data_list = []
        for tid in ids:
            if tid not in sar:
                raise SARFileNotFoundError(
                    f'{self.ann_file}: tile {tid} has no SAR file in '
                    f'{self._path(self.sar_dir)}.')
            if self.require_eo and tid not in eo:
                raise SARFileNotFoundError(
                    f'Tile {tid} has no EO (PS-RGB) partner in '
                    f'{self._path(self.eo_dir)}.')
            if self.label_dir and tid not in labels:
                raise SARFileNotFoundError(
                    f'Tile {tid} has no building geojson in '
                    f'{self._path(self.label_dir)}.')
            strip = strip_of_tile(sar[tid])
            if self.orientation_file and strip not in orientations:
                raise SARDataError(f'Strip {strip} of tile {tid} is missing from '
                               f'{self._path(self.orientation_file)}.')
            data_list.append(dict(
                tile_id=tid, img_path=sar[tid], sar_path=sar[tid],
                eo_path=eo.get(tid), seg_map_path=labels.get(tid),
                orientation_flip=orientations.get(strip, 0) == 1,
                label_map=self.label_map, reduce_zero_label=False,
                seg_fields=[]))
        return data_list
