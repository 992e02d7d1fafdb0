"""Bi-temporal change-detection datasets (LEVIR-CD, WHU-CD, DSIFN-CD, CDD, S2Looking).

All share one on-disk layout: three folders holding files with the same stem,
date A (t1), date B (t2) and the binary change label::

    data_root/
      train/{A,B,label}/name.png     # split layout (val/, test/ alike), or
      A/ B/ label/                   # flat layout: one folder holding the three

``data_prefix`` names the three folders (``img_path``, ``img_path2``,
``seg_map_path``) relative to ``data_root``. Each data info holds ``img_path``,
``img_path2`` and ``seg_map_path`` (see ``LoadBiTemporalImages`` and
``LoadBiTemporalAnnotations`` for reading and label mapping to 0/1/255).
"""
import os
import os.path as osp
from typing import Dict, List, Sequence, Union

import mmengine
from mmseg.datasets import BaseSegDataset

from mmkd_rs.registry import DATASETS
from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError

Suffixes = Union[str, Sequence[str]]


def _as_tuple(suffixes: Suffixes) -> tuple:
    return (suffixes, ) if isinstance(suffixes, str) else tuple(suffixes)


def _index_folder(folder: str, suffixes: tuple) -> Dict[str, str]:
    """Map file stem -> file name for the files of ``folder`` with ``suffixes``."""
    if not osp.isdir(folder):
        raise DataFileNotFoundError(f'bi-temporal dataset folder not found: {folder}')
    index = {}
    for name in sorted(os.listdir(folder)):
        for suffix in suffixes:
            if name.lower().endswith(suffix.lower()):
                stem = name[:-len(suffix)]
                if stem in index:
                    raise DataFileError(f'{folder}: two files share the stem {stem!r} '
                                     f'({index[stem]}, {name})')
                index[stem] = name
                break
    return index


@DATASETS.register_module()
class BiTemporalDataset(BaseSegDataset):
    """Base of the bi-temporal change-detection datasets.

    Every date-A file must have a date-B partner and (unless
    ``seg_map_path`` is None, e.g. for inference) a label with the same stem;
    a missing partner or an unpaired date-B/label file raises
    ``FileNotFoundError`` (:class:`~mmkd_rs.utils.errors.DataFileNotFoundError`,
    a user error) naming it.

    Args:
        img_suffix (str | Sequence[str]): Suffix(es) of date-A/B images.
        seg_map_suffix (str | Sequence[str]): Suffix(es) of label files.
        data_prefix (dict): Folders ``img_path`` (A), ``img_path2`` (B) and
            ``seg_map_path`` (label), relative to ``data_root``.
        ann_file (str): Optional text file of stems (one per line) restricting
            the dataset to those samples.
        **kwargs: Other ``BaseSegDataset`` arguments.
    """

    METAINFO = dict(classes=('unchanged', 'changed'), palette=[[0, 0, 0], [255, 255, 255]])
    # Shown by tools/train.py and tools/test.py when the data is missing.
    EXPECTED_LAYOUT = """  <data_root>/
    {train,val,test}/A/*.png       date 1 (t1)
    {train,val,test}/B/*.png       date 2 (t2), same file names as A/
    {train,val,test}/label/*.png   change mask, 0 = unchanged, 255 (or 1) = changed"""
    PREPARE_COMMAND = (
        'Download the dataset and arrange it as above (official split), or write a '
        'synthetic copy in this layout:\n  python tools/dataset_converters/'
        'generate_synthetic_levir.py data/synthetic_levir_cd')
    synthetic_writer = 'mmkd_rs.datasets.synthetic.catalog.write_bitemporal'

    def __init__(self,
                 img_suffix: Suffixes = '.png',
                 seg_map_suffix: Suffixes = '.png',
                 data_prefix: dict = dict(img_path='A', img_path2='B', seg_map_path='label'),
                 **kwargs) -> None:
        # seg_map_path=None (unlabeled data): mmengine joins every prefix with
        # data_root and refuses None, so a folder that is not there is left out
        data_prefix = {k: v for k, v in dict(data_prefix).items() if v is not None}
        super().__init__(
            img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, data_prefix=data_prefix,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Pair the files of the A, B and label folders by stem (sorted)."""
        dir_a = self.data_prefix['img_path']
        dir_b = self.data_prefix['img_path2']
        dir_label = self.data_prefix.get('seg_map_path')
        img_suffixes = _as_tuple(self.img_suffix)
        files_a = _index_folder(dir_a, img_suffixes)
        files_b = _index_folder(dir_b, img_suffixes)
        files_label = (_index_folder(dir_label, _as_tuple(self.seg_map_suffix))
                       if dir_label else None)

        stems = sorted(files_a)
        if self.ann_file:
            if not osp.isfile(self.ann_file):
                raise DataFileNotFoundError(f'ann_file not found: {self.ann_file}')
            stems = [line.strip() for line in mmengine.list_from_file(self.ann_file)
                     if line.strip()]
            missing = [s for s in stems if s not in files_a]
            if missing:
                raise DataFileNotFoundError(
                    f'{self.ann_file} lists {len(missing)} sample(s) without a date-A '
                    f'image in {dir_a}, e.g. {missing[0]!r} (suffixes {img_suffixes})')
        else:
            self._check_unpaired(files_b, files_a, dir_b, dir_a)
            if files_label is not None:
                self._check_unpaired(files_label, files_a, dir_label, dir_a)
        if not stems:
            raise DataFileNotFoundError(f'no date-A image with suffix {img_suffixes} in {dir_a}')

        data_list = []
        for stem in stems:
            path_a = osp.join(dir_a, files_a[stem])
            if stem not in files_b:
                raise DataFileNotFoundError(
                    f'{path_a} has no date-B partner {stem}{img_suffixes} in {dir_b}')
            info = dict(img_path=path_a, img_path2=osp.join(dir_b, files_b[stem]),
                        label_map=self.label_map, reduce_zero_label=self.reduce_zero_label,
                        seg_fields=[])
            if files_label is not None:
                if stem not in files_label:
                    raise DataFileNotFoundError(
                        f'{path_a} has no change label {stem}'
                        f'{_as_tuple(self.seg_map_suffix)} in {dir_label}')
                info['seg_map_path'] = osp.join(dir_label, files_label[stem])
            data_list.append(info)
        return data_list

    @staticmethod
    def _check_unpaired(files: dict, files_a: dict, folder: str, dir_a: str) -> None:
        orphans = sorted(set(files) - set(files_a))
        if orphans:
            raise DataFileNotFoundError(
                f'{osp.join(folder, files[orphans[0]])} has no date-A partner in {dir_a} '
                f'({len(orphans)} unpaired file(s) in {folder})')


@DATASETS.register_module()
class LEVIRCDDataset(BiTemporalDataset):
    """LEVIR-CD (Chen & Shi 2020): 637 Google Earth pairs of 1024 x 1024 px at
    0.5 m, building change, labels 0/255 PNG, official train/val/test split."""


@DATASETS.register_module()
class WHUCDDataset(BiTemporalDataset):
    """WHU-CD building change (Christchurch aerial 2012 / 2016, 0.3 m), tiled to
    A/B/label PNGs (0/255)."""


@DATASETS.register_module()
class DSIFNCDDataset(BiTemporalDataset):
    """DSIFN-CD (Zhang et al. 2020), Google Earth, six Chinese cities.

    The official release stores images as ``.jpg`` (some copies ``.png``) and
    test labels as ``.tif``; both are accepted. Labels are 0/255.
    """

    def __init__(self,
                 img_suffix: Suffixes = ('.png', '.jpg'),
                 seg_map_suffix: Suffixes = ('.png', '.tif'),
                 **kwargs) -> None:
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)


@DATASETS.register_module()
class CDDDataset(BiTemporalDataset):
    """CDD season-varying change detection (Lebedev et al. 2018), ``.jpg``
    images and labels; JPEG labels need ``label_format='0-255-lossy'``."""

    EXPECTED_LAYOUT = """  <data_root>/
    {train,val,test}/A/*.jpg    date 1
    {train,val,test}/B/*.jpg    date 2
    {train,val,test}/OUT/*.jpg  change mask 0/255 (JPEG)"""

    def __init__(self, img_suffix: Suffixes = '.jpg', seg_map_suffix: Suffixes = '.jpg',
                 **kwargs) -> None:
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)


@DATASETS.register_module()
class S2LookingDataset(BiTemporalDataset):
    """S2Looking side-looking satellite building change (Shen et al. 2021):
    ``Image1/``, ``Image2/``, ``label/`` PNGs (0/255) per split."""

    EXPECTED_LAYOUT = """  <data_root>/
    {train,val,test}/Image1/*.png  date 1
    {train,val,test}/Image2/*.png  date 2
    {train,val,test}/label/*.png   change mask 0/255"""

    def __init__(self,
                 data_prefix: dict = dict(img_path='Image1', img_path2='Image2',
                                          seg_map_path='label'),
                 **kwargs) -> None:
        super().__init__(data_prefix=data_prefix, **kwargs)
