"""Road extraction datasets (binary road segmentation + optional connectivity labels).

All read the mmseg layout written by ``tools/dataset_converters/{spacenet3,deepglobe,
massachusetts}.py``::

    data_root/
      img_dir/{train,val}/<name><img_suffix>
      ann_dir/{train,val}/<name>.png     road mask, 0 background / 1 road
      conn_dir/{train,val}/<name>.png    connectivity label 0..4 (optional)
      graph_dir/{train,val}/<name>.json  road graph in px (optional, SpaceNet 3)

``data_prefix`` may name ``conn_path`` and ``graph_path`` folders; each data info
then carries ``conn_map_path`` / ``graph_path``. A listed image whose mask,
connectivity or graph file is missing raises :class:`FileNotFoundError` at
dataset build time; a file OpenCV cannot decode (e.g. empty) raises
:class:`ValueError` naming it when the sample is loaded (both user errors).
"""
import os.path as osp

import cv2
from mmseg.datasets import BaseSegDataset

from mmkd_rs.registry import DATASETS
from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError

_SAMPLE_FILES = ('img_path', 'seg_map_path', 'conn_map_path')


@DATASETS.register_module()
class RoadSegDataset(BaseSegDataset):
    """Binary road dataset: classes ``('background', 'road')``.

    Args:
        conn_suffix (str): suffix of connectivity label files.
        graph_suffix (str): suffix of road graph files.
        **kwargs: :class:`mmseg.datasets.BaseSegDataset` arguments.
    """
    METAINFO = dict(classes=('background', 'road'), palette=[[0, 0, 0], [255, 255, 255]])
    # Shown by tools/train.py and tools/test.py when the data is missing.
    EXPECTED_LAYOUT = """  <data_root>/   (written by the tools/dataset_converters/ road scripts)
    img_dir/{train,val,test}/*     images
    ann_dir/{train,val,test}/*.png road mask 0/1
    conn_dir/{train,val,test}/*.png   connectivity labels (Xu et al. configs)
    graph_dir/{train,val,test}/*.json road graphs in pixel coordinates"""
    PREPARE_COMMAND = ('python tools/dataset_converters/generate_synthetic_roads.py '
                       'data/synthetic_roads --format mmseg   (synthetic copy)')
    synthetic_writer = 'mmkd_rs.datasets.synthetic.roads.write_for_dataset_config'

    def __init__(self, img_suffix='.png', seg_map_suffix='.png', conn_suffix='.png',
                 graph_suffix='.json', **kwargs):
        self.conn_suffix = conn_suffix
        self.graph_suffix = graph_suffix
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)

    def load_data_list(self):
        data_list = super().load_data_list()
        img_dir = self.data_prefix.get('img_path', '')
        extras = [(key, self.data_prefix.get(prefix), suffix) for key, prefix, suffix in (
            ('conn_map_path', 'conn_path', self.conn_suffix),
            ('graph_path', 'graph_path', self.graph_suffix))]
        if not data_list and img_dir and not osp.isdir(img_dir):
            raise DataFileNotFoundError(f'{type(self).__name__}: image folder "{img_dir}" does '
                                    'not exist')
        for info in data_list:
            stem = osp.relpath(info['img_path'], img_dir)[:-len(self.img_suffix)]
            for key, folder, suffix in extras:
                if folder:
                    info[key] = osp.join(folder, stem + suffix)
            for key in ('seg_map_path', 'conn_map_path', 'graph_path'):
                if key in info and not osp.isfile(info[key]):
                    raise DataFileNotFoundError(
                        f'{type(self).__name__}: image "{info["img_path"]}" has no {key[:-5]} '
                        f'file "{info[key]}" (run the dataset converter, or check suffixes)')
        return data_list

    def prepare_data(self, idx):
        """The sample through the pipeline; an undecodable file is named.

        OpenCV's ``imdecode`` (mmcv's image loading) fails on an empty file
        without saying which one.
        """
        try:
            return super().prepare_data(idx)
        except cv2.error as err:
            if 'imdecode' not in str(err):
                raise
            info = self.get_data_info(idx)
            paths = [info[k] for k in _SAMPLE_FILES if info.get(k)]
            empty = [p for p in paths if osp.isfile(p) and osp.getsize(p) == 0]
            raise DataFileError(
                f'cannot decode {" or ".join(f"{p!r}" for p in empty or paths)}: '
                + ('the file is empty (0 bytes)' if empty else 'not an image OpenCV reads')
                + '; replace it or leave the sample out.') from None


@DATASETS.register_module()
class DeepGlobeRoadsDataset(RoadSegDataset):
    """DeepGlobe Road Extraction (0.5 m, 1024 x 1024 RGB).

    Default suffixes are the converted layout (``img_dir/*.jpg``, ``ann_dir/*.png``
    0/1). The raw challenge layout (``<id>_sat.jpg`` + RGB 0/255 ``<id>_mask.png`` in
    one folder) loads with ``img_suffix='_sat.jpg', seg_map_suffix='_mask.png'`` and
    ``LoadRoadAnnotations(binarize_threshold=128)`` in the pipeline.
    """

    PREPARE_COMMAND = ('python tools/dataset_converters/deepglobe.py <deepglobe>/train '
                       '-o data/deepglobe_roads')

    def __init__(self, img_suffix='.jpg', seg_map_suffix='.png', **kwargs):
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)


@DATASETS.register_module()
class SpaceNet3RoadsDataset(RoadSegDataset):
    """SpaceNet 3 road tiles (1300 x 1300, 0.3 m) converted to 8-bit PNG with masks
    rasterised from the centreline GeoJSON."""

    PREPARE_COMMAND = ('python tools/dataset_converters/spacenet3.py --img-dir '
                       'AOI_2_Vegas_Train/RGB-PanSharpen --geojson-dir '
                       'AOI_2_Vegas_Train/geojson/spacenetroads -o data/spacenet3_roads')


@DATASETS.register_module()
class MassachusettsRoadsDataset(RoadSegDataset):
    """Massachusetts Roads (1500 x 1500, 1 m) converted to PNG."""

    PREPARE_COMMAND = ('python tools/dataset_converters/massachusetts.py data/massachusetts '
                       '-o data/mass_roads')
