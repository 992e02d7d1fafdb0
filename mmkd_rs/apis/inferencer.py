"""Inference on unlabeled rasters of any size, for the three task families.

:class:`RSInferencer` predicts with the deployed network of a config (the
student of a distillation config) on

* a bi-temporal pair (change detection: two co-registered dates),
* a SAR tile (EO -> SAR segmentation, SAR only as the student is deployed),
* an optical road tile,

or folders of them. Rasters are read and written in windows
(:mod:`.windows`), so memory does not grow with the raster, and predicted
with the config's own test protocol (``test_cfg`` whole or slide) and test
pipeline (:mod:`.sources`). Outputs per input (:mod:`mmkd_rs.geo.writer`,
:mod:`.vectorize`):

* ``<stem>_mask.tif``: class indices, GeoTIFF with the input's CRS and
  transform (``<stem>_mask.png``, 0 / 255 for two classes, when the input
  has no georeference);
* ``<stem>_probs.tif`` (``probs=True``): class probabilities;
* ``<stem>_polygons.geojson`` (change, buildings, land cover): one polygon
  per connected region of a class, or ``<stem>_roads.geojson`` (roads): the
  road graph as LineStrings, both in the raster's CRS.

Example::

    from mmkd_rs.apis import RSInferencer
    inferencer = RSInferencer('configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
                              'work_dirs/student/iter_20000.pth')
    inferencer([('scene_2019.tif', 'scene_2023.tif')], out_dir='predictions')
"""
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch

from mmkd_rs.geo import NODATA, PredictionWriter, RasterFile
from mmkd_rs.utils.errors import UserError
from mmkd_rs.utils.tool_utils import innermost_dataset_cfg

from .model import init_model
from .sources import WindowPipeline
from .vectorize import mask_polygons, mask_road_graph, polygons_geojson, road_graph_geojson
from .windows import WindowPlan

__all__ = ['RSInferencer', 'collect_inputs', 'IMAGE_SUFFIXES']

IMAGE_SUFFIXES = ('.tif', '.tiff', '.png', '.jpg', '.jpeg', '.vrt')
#: Network output stride that ``whole``-mode windows are aligned to (px).
OUTPUT_STRIDE = 32


def _files_in(folder: str) -> Dict[str, str]:
    """Stem -> path of the images in ``folder`` (sorted)."""
    files = {}
    for name in sorted(os.listdir(folder)):
        stem, ext = osp.splitext(name)
        if ext.lower() in IMAGE_SUFFIXES and osp.isfile(osp.join(folder, name)):
            files[stem] = osp.join(folder, name)
    return files


def collect_inputs(inputs: Sequence, num_inputs: int) -> List[tuple]:
    """Group input paths into samples ``(stem, (path, ...))``.

    One raster per sample: every file, and every image in every folder.
    Two per sample (bi-temporal): files taken two by two (date A, date B),
    or two folders whose images are paired by file stem.

    Raises:
        UserError: missing paths, unpaired images, or two samples sharing a
            stem (their outputs would collide).
    """
    inputs = list(inputs)
    if num_inputs == 2 and all(isinstance(e, str) for e in inputs):
        if len(inputs) % 2:
            raise UserError(f'bi-temporal inputs come in pairs (date A, date B); got '
                            f'{len(inputs)} path(s): {inputs}.')
        inputs = [tuple(inputs[i:i + 2]) for i in range(0, len(inputs), 2)]
    items = []
    for entry in inputs:
        entry = tuple(entry) if isinstance(entry, (list, tuple)) else (entry, )
        for path in entry:
            if not osp.exists(path):
                raise UserError(f'input "{path}" does not exist.')
        if num_inputs == 1:
            for path in entry:
                if osp.isdir(path):
                    items.extend((stem, (p, )) for stem, p in _files_in(path).items())
                else:
                    items.append((osp.splitext(osp.basename(path))[0], (path, )))
            continue
        if len(entry) != 2:
            raise UserError(f'a bi-temporal sample is two rasters (date A, date B); got {entry}.')
        if all(osp.isdir(p) for p in entry):
            dates = [_files_in(p) for p in entry]
            unpaired = sorted(set(dates[0]) ^ set(dates[1]))
            if unpaired:
                raise UserError(f'"{unpaired[0]}" is in only one of the folders {entry[0]} and '
                                f'{entry[1]} ({len(unpaired)} unpaired image(s)); both dates '
                                'need an image with the same file name.')
            items.extend((stem, (dates[0][stem], dates[1][stem])) for stem in dates[0])
        elif any(osp.isdir(p) for p in entry):
            raise UserError(f'give date A and date B both as files or both as folders: {entry}.')
        else:
            items.append((osp.splitext(osp.basename(entry[0]))[0], entry))
    stems = [stem for stem, _ in items]
    clash = sorted({s for s in stems if stems.count(s) > 1})
    if clash:
        raise UserError(f'several inputs are named "{clash[0]}"; their outputs would overwrite '
                        'each other. Predict them into separate output folders.')
    if not items:
        raise UserError(f'no image ({", ".join(IMAGE_SUFFIXES)}) found in {list(inputs)}.')
    return items


def _softmax_probs(logits: torch.Tensor) -> torch.Tensor:
    """mmseg ``seg_logits``: logits for C > 1 (softmax), sigmoid already for C = 1."""
    return logits.softmax(dim=0) if logits.shape[0] > 1 else logits


class RSInferencer:
    """Predict rasters of any size with a config's deployed network.

    Args:
        config (str | Config): Config file (a distillation config deploys
            its student).
        checkpoint (str, optional): Weights: a segmentor checkpoint, a
            student extracted with ``extract_student.py``, or a distillation
            checkpoint.
        device (str): ``'cpu'``, ``'cuda'``, ``'cuda:1'``...
        tile_size (int): Core of each window (px): rounded up to the slide
            stride (slide protocol) or to the output stride alignment
            (whole protocol). Memory grows with it, not with the raster.
        margin (int): Context read around each core with the whole
            protocol (px; the slide protocol reads exactly the crops it
            needs).
        cfg_options (dict, optional): Config overrides.
        show_progress (bool): Progress bar over windows (stderr).
        gdal_cache_mb (int): GDAL's raster block cache while reading and
            writing (MiB). GDAL's default, 5 % of the machine's memory, would
            keep blocks of large rasters and grow with them.
    """

    def __init__(self, config, checkpoint: Optional[str] = None, device: str = 'cpu',
                 tile_size: int = 1024, margin: int = 128,
                 cfg_options: Optional[dict] = None, show_progress: bool = True,
                 gdal_cache_mb: int = 64):
        self.gdal_cache_mb = int(gdal_cache_mb)
        self.model = init_model(config, checkpoint, device, cfg_options)
        cfg = self.model.cfg
        loader = cfg.get('test_dataloader') or cfg.get('val_dataloader')
        if not loader:
            raise UserError('the config has no test_dataloader: inference takes its test '
                            'pipeline and class names from it.')
        self.dataset_cfg = innermost_dataset_cfg(loader['dataset'])
        self.pipeline = WindowPipeline(self.dataset_cfg.get('pipeline') or [])
        self.task = self._task(cfg)
        self.classes, self.palette = self._metainfo()
        self.tile_size, self.margin = int(tile_size), int(margin)
        self.show_progress = show_progress
        self.test_cfg = dict(self.model.test_cfg or {})
        preprocessor = self.model.data_preprocessor
        size_divisor = getattr(preprocessor, 'size_divisor', None)
        self.align = math.lcm(OUTPUT_STRIDE, int(size_divisor or 1))
        if self.test_cfg.get('mode', 'whole') == 'whole' and size_divisor and \
                not getattr(preprocessor, 'test_cfg', None):
            # pad each window as the network was trained (mmseg removes it again)
            preprocessor.test_cfg = dict(size_divisor=size_divisor)
        evaluator = cfg.get('test_evaluator') or {}
        self.graph_cfg = dict(evaluator.get('graph_cfg') or {}) if isinstance(evaluator, dict) \
            else {}

    # ----------------------------------------------------------- description
    def _dataset_class(self):
        from mmkd_rs.registry import DATASETS
        dataset_type = self.dataset_cfg.get('type')
        return DATASETS.get(dataset_type) if isinstance(dataset_type, str) else dataset_type

    def _task(self, cfg) -> str:
        """``'change'``, ``'roads'`` or ``'segmentation'``."""
        from mmkd_rs.datasets.roads import RoadSegDataset
        if self.pipeline.kind == 'LoadBiTemporalImages':
            return 'change'
        evaluator = cfg.get('test_evaluator') or {}
        if isinstance(evaluator, dict) and evaluator.get('type') == 'RoadMetric':
            return 'roads'
        cls = self._dataset_class()
        return 'roads' if isinstance(cls, type) and issubclass(cls, RoadSegDataset) \
            else 'segmentation'

    def _metainfo(self) -> tuple:
        """Class names and RGB palette: the dataset's, then the config's ``metainfo``."""
        meta = dict(getattr(self._dataset_class(), 'METAINFO', None) or {})
        meta.update(self.dataset_cfg.get('metainfo') or {})
        num_classes = int(getattr(self.model.decode_head, 'num_classes', 0) or
                          len(meta.get('classes', ())) or 2)
        classes = list(meta.get('classes') or [])
        if len(classes) != num_classes:
            classes = [f'class_{i}' for i in range(num_classes)]
        palette = [list(p) for p in (meta.get('palette') or [])]
        if len(palette) < num_classes:
            if num_classes == 2:
                palette = [[0, 0, 0], [255, 255, 255]]
            else:
                rng = np.random.default_rng(42)
                palette = rng.integers(0, 256, (num_classes, 3)).tolist()
        return classes, palette

    # ------------------------------------------------------------- windows
    def plan(self, shape: tuple) -> WindowPlan:
        """Windows for a raster of ``shape`` = ``(height, width)``."""
        return WindowPlan.for_model(shape, self.test_cfg, self.tile_size, self.margin,
                                    self.align)

    @torch.no_grad()
    def predict_window(self, rasters: Sequence[RasterFile], rows: tuple, cols: tuple,
                       probs: bool = False) -> tuple:
        """Predict one read window.

        Returns:
            tuple: ``(mask, probs)``: ``(h, w)`` uint8 class indices (255 on
            nodata) and ``(C, h, w)`` float32 probabilities (NaN on nodata)
            or None.
        """
        packed, nodata = self.pipeline(rasters, rows, cols)
        data = dict(inputs=[packed['inputs']], data_samples=[packed['data_samples']])
        sample = self.model.test_step(data)[0]
        mask = sample.pred_sem_seg.data[0].to(torch.uint8).cpu().numpy()
        prob = _softmax_probs(sample.seg_logits.data).float().cpu().numpy() if probs else None
        if nodata is not None:
            mask[nodata] = NODATA
            if prob is not None:
                prob[:, nodata] = np.nan
        return mask, prob

    def _run(self, rasters: Sequence[RasterFile], sink, probs: bool, desc: str) -> None:
        from tqdm import tqdm
        plan = self.plan(rasters[0].shape)
        for rspan, cspan in tqdm(plan, total=len(plan), desc=desc, unit='window',
                                 disable=not self.show_progress, leave=False):
            mask, prob = self.predict_window(rasters, rspan.read, cspan.read, probs)
            core = (rspan.core_in_read, cspan.core_in_read)
            sink(rspan.core, cspan.core, mask[core],
                 None if prob is None else prob[(slice(None), ) + core])

    def _gdal_env(self):
        """A bounded GDAL block cache for the reads and writes of one sample."""
        import rasterio
        return rasterio.Env(GDAL_CACHEMAX=self.gdal_cache_mb * 2**20)

    def _open(self, paths: Sequence[str]) -> List[RasterFile]:
        rasters = [RasterFile(p) for p in paths]
        try:
            self.pipeline.check(rasters)
        except Exception:
            for raster in rasters:
                raster.close()
            raise
        return rasters

    # ---------------------------------------------------------------- public
    def predict(self, paths: Union[str, Sequence[str]], probs: bool = False) -> dict:
        """Predict one sample into memory (``(H, W)`` arrays: for rasters that fit).

        Args:
            paths (str | Sequence[str]): The raster, or date A and date B.

        Returns:
            dict: ``mask`` (``(H, W)`` uint8) and ``probs`` (``(C, H, W)``
            float32 or None).
        """
        paths = (paths, ) if isinstance(paths, str) else tuple(paths)
        with self._gdal_env():
            return self._predict(paths, probs)

    def _predict(self, paths: tuple, probs: bool) -> dict:
        rasters = self._open(paths)
        try:
            height, width = rasters[0].shape
            out = dict(mask=np.full((height, width), NODATA, np.uint8), probs=None)

            def sink(rows, cols, mask, prob):
                out['mask'][rows[0]:rows[1], cols[0]:cols[1]] = mask
                if prob is not None:
                    if out['probs'] is None:
                        out['probs'] = np.zeros((prob.shape[0], height, width), np.float32)
                    out['probs'][:, rows[0]:rows[1], cols[0]:cols[1]] = prob

            self._run(rasters, sink, probs, osp.basename(paths[0]))
        finally:
            for raster in rasters:
                raster.close()
        return out

    def predict_to_files(self, paths: Sequence[str], out_dir: str, stem: str,
                         probs: bool = False, vectors: bool = True) -> Dict[str, str]:
        """Predict one sample into files under ``out_dir``; return ``{kind: path}``."""
        with self._gdal_env():
            return self._predict_to_files(tuple(paths), out_dir, stem, probs, vectors)

    def _predict_to_files(self, paths: tuple, out_dir: str, stem: str, probs: bool,
                          vectors: bool) -> Dict[str, str]:
        rasters = self._open(paths)
        try:
            ref = rasters[0]
            num_prob_bands = 1 if getattr(self.model, 'out_channels', 2) == 1 else None
            writer = PredictionWriter(out_dir, stem, ref.georef, self.classes, self.palette,
                                      probs, num_prob_bands)
            try:
                self._run(rasters, writer.write, probs, stem)
            finally:
                writer.close()
        finally:
            for raster in rasters:
                raster.close()
        outputs = {}
        if vectors:
            outputs.update(self._write_vectors(writer.mask_path, writer.crs, out_dir, stem))
        outputs.update(writer.finish())
        return outputs

    def _write_vectors(self, mask_path: str, crs: Optional[str], out_dir: str,
                       stem: str) -> Dict[str, str]:
        block = max(self.tile_size, 256)
        if self.task == 'roads':
            graph = mask_road_graph(mask_path, road_class=1, block=block,
                                    graph_cfg=self.graph_cfg)
            kind, collection = 'roads', road_graph_geojson(graph, crs)
        else:
            first = 1 if len(self.classes) == 2 else 0   # two classes: 0 is background
            polygons = mask_polygons(mask_path, range(first, len(self.classes)), block)
            kind, collection = 'polygons', polygons_geojson(polygons, self.classes, crs)
        path = osp.join(out_dir, f'{stem}_{kind}.geojson')
        with open(path, 'w') as f:
            json.dump(collection, f)
        return {kind: path}

    def __call__(self, inputs: Sequence, out_dir: str, probs: bool = False,
                 vectors: bool = True) -> List[dict]:
        """Predict every sample of ``inputs`` into ``out_dir``.

        Args:
            inputs (Sequence): Files or folders (see :func:`collect_inputs`);
                for change detection pairs ``(date A, date B)`` of files or
                folders.
            out_dir (str): Output folder (created).
            probs (bool): Also write class probabilities.
            vectors (bool): Also write GeoJSON polygons / road lines.

        Returns:
            list[dict]: Per sample: ``name`` and the written paths by kind
            (``mask``, ``probs``, ``polygons`` or ``roads``).
        """
        results = []
        for stem, paths in collect_inputs(inputs, self.pipeline.num_inputs):
            outputs = self.predict_to_files(paths, out_dir, stem, probs, vectors)
            results.append(dict(name=stem, inputs=list(paths), **outputs))
        return results
