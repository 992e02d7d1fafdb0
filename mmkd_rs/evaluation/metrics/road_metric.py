"""Road extraction metric: pixel, centreline, connectivity and graph scores.

Every evaluation computes, from ``pred_sem_seg`` and ``gt_sem_seg``:
road IoU / precision / recall / F1, relaxed precision / recall / F1 (buffer
of ``rho`` pixels around centrelines) and clDice, summed over the dataset
(see :mod:`mmkd_rs.evaluation.graph.pixel_scores`). When the data samples
carry a connectivity prediction and label (``pred_conn`` and ``gt_conn_map``
or ``gt_conn``) the connectivity mIoU is added.

Every ``graph_interval``-th evaluation (the first one included; 0 = never)
also extracts a road graph from each predicted mask (threshold, clean,
skeletonise, trace, prune spurs, Douglas-Peucker) and scores it with APLS
(mean over images) and TOPO (counts summed over images) against the
ground-truth graph: the sample's ``gt_graph`` when present (a
:class:`RoadGraph` or a list of (K, 2) polylines, pixel coordinates), else
the graph of the ground-truth mask. Pixel coordinates become metres with
``gsd`` (metres per pixel), so APLS/TOPO distances (50 m control spacing,
4 m snapping, ...) keep their physical meaning.

Ground truth is prepared once per tile and reused by later evaluations:
its skeleton (pixel scores) and, when the sample has no ``gt_graph``, its
road graph, kept in a bounded cache keyed by the mask's content
(:class:`~mmkd_rs.evaluation.graph.truth_cache.TruthCache`,
``gt_cache_size`` tiles). Each prediction is skeletonised once, for the
pixel scores and its graph. The scores are the same as without the cache.

APLS for images whose ground truth or prediction has no road follows the
reference: 0. ``skip_empty_gt_graph=True`` leaves images without
ground-truth road out of the APLS mean instead (NaN when that leaves none).

Reported keys, all in percent with two decimals like every metric of this
package (the graph scores are computed as fractions in
:mod:`mmkd_rs.evaluation.graph` and scaled at the end): ``IoU``, ``F1``,
``precision``, ``recall`` (road class), ``relaxed_F1``,
``relaxed_precision``, ``relaxed_recall``, ``clDice``, ``conn_mIoU`` and,
when graph metrics are due, ``APLS``, ``TOPO_F1``, ``TOPO_precision``,
``TOPO_recall``. Names match the other families (no ``road/`` prefix;
``prefix=`` adds one). Empty denominators give NaN, see
:mod:`mmkd_rs.evaluation.functional`.

Example::

    val_evaluator = dict(type='RoadMetric', gsd=0.3, rho=3, graph_interval=5)
"""
from collections import OrderedDict
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmkd_rs.evaluation.functional import (class_mean, class_scores, confusion_matrix,
                                           count_scores, percent)
from mmkd_rs.evaluation.graph.apls import APLSSettings, apls_score
from mmkd_rs.evaluation.graph.pixel_scores import road_counts, scores_from_counts, skeleton
from mmkd_rs.evaluation.graph.road_graph import RoadGraph, graph_from_polylines
from mmkd_rs.evaluation.graph.skeleton_graph import mask_to_graph
from mmkd_rs.evaluation.graph.topo import TopoSettings, topo_score
from mmkd_rs.evaluation.graph.truth_cache import TileTruth, TruthCache
from mmkd_rs.registry import METRICS

_CONN_BINS = 256
# scores_from_counts names -> reported keys
_PIXEL_KEYS = OrderedDict(iou='IoU', f1='F1', precision='precision', recall='recall',
                          relaxed_f1='relaxed_F1', relaxed_precision='relaxed_precision',
                          relaxed_recall='relaxed_recall', cldice='clDice')


def _to_numpy(x) -> np.ndarray:
    if hasattr(x, 'data') and not isinstance(x, np.ndarray):
        x = x.data
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def _field(sample: dict, *names):
    for name in names:
        if name in sample and sample[name] is not None:
            value = sample[name]
            return value['data'] if isinstance(value, dict) and 'data' in value else value
    return None


@METRICS.register_module()
class RoadMetric(BaseMetric):
    """Road segmentation + connectivity + graph metric (see module docstring).

    Args:
        road_class (int): class index of road in ``pred_sem_seg`` / ``gt_sem_seg``.
        ignore_index (int): ground-truth value excluded from pixel scores.
        rho (float): relaxed-F1 buffer in pixels.
        gsd (float): metres per pixel for the graph metrics.
        graph_interval (int): graph metrics every N evaluations (0: never).
        apls_settings (dict, optional): :class:`APLSSettings` fields.
        topo_settings (dict, optional): :class:`TopoSettings` fields.
        graph_cfg (dict, optional): keyword arguments of
            :func:`mask_to_graph` (pixel units).
        skip_empty_gt_graph (bool): leave images without ground-truth road
            out of the APLS mean.
        seed (int): TOPO start-node sampling seed (per image: seed + index).
        gt_cache_size (int): ground-truth tiles whose skeleton and graph are
            kept between evaluations (least recently used dropped first;
            0 = prepare them at every evaluation). 0.03-0.5 MiB per
            1300 x 1300 tile, see :mod:`~mmkd_rs.evaluation.graph.truth_cache`.
    """

    def __init__(self, road_class: int = 1, ignore_index: int = 255, rho: float = 3.0,
                 gsd: float = 1.0, graph_interval: int = 1,
                 apls_settings: Optional[dict] = None, topo_settings: Optional[dict] = None,
                 graph_cfg: Optional[dict] = None, skip_empty_gt_graph: bool = False,
                 seed: int = 0, gt_cache_size: int = 1024, collect_device: str = 'cpu',
                 prefix: Optional[str] = None, **kwargs):
        super().__init__(collect_device=collect_device, prefix=prefix, **kwargs)
        if gsd <= 0:
            raise ValueError(f'RoadMetric: gsd must be > 0 metres/pixel, got {gsd}')
        if graph_interval < 0:
            raise ValueError(f'RoadMetric: graph_interval must be >= 0, got {graph_interval}')
        self.road_class = road_class
        self.ignore_index = ignore_index
        self.rho = rho
        self.gsd = gsd
        self.graph_interval = graph_interval
        self.apls_settings = APLSSettings(**(apls_settings or {}))
        self.topo_settings = TopoSettings(**(topo_settings or {}))
        self.graph_cfg = dict(graph_cfg or {})
        self.skip_empty_gt_graph = skip_empty_gt_graph
        self.seed = seed
        self.gt_cache = TruthCache(gt_cache_size)
        self._evaluations = 0
        self._seen = 0

    @property
    def graph_due(self) -> bool:
        """Whether the evaluation in progress computes graph metrics."""
        return self.graph_interval > 0 and self._evaluations % self.graph_interval == 0

    def _mask_graph(self, road: np.ndarray, road_skeleton: np.ndarray) -> RoadGraph:
        """Graph of a road mask in metres; ``road_skeleton`` is the mask's skeleton."""
        cfg = dict(self.graph_cfg)
        if 'threshold' not in cfg:  # the skeleton is of ``road`` itself
            cfg['skeleton'] = road_skeleton
        return mask_to_graph(road, **cfg).scaled(self.gsd)

    def _gt_graph(self, sample: dict, gt_road: np.ndarray, truth: TileTruth) -> RoadGraph:
        """Ground-truth graph in metres: the sample's ``gt_graph``, else the cached mask graph."""
        graph = sample.get('gt_graph')
        if graph is None:
            return truth.road_graph(gt_road, self._mask_graph)
        if not isinstance(graph, RoadGraph):
            try:
                graph = graph_from_polylines([np.asarray(p, float) for p in graph])
            except (TypeError, ValueError) as err:
                raise ValueError(f'{sample.get("img_path", "sample")}: gt_graph must be a '
                                 'RoadGraph or a list of (K, 2) pixel polylines') from err
        return graph.scaled(self.gsd)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            name = sample.get('img_path', f'sample {self._seen}')
            pred = _field(sample, 'pred_sem_seg')
            gt = _field(sample, 'gt_sem_seg')
            if pred is None or gt is None:
                raise ValueError(f'{name}: RoadMetric needs pred_sem_seg and gt_sem_seg')
            pred = _to_numpy(pred).squeeze()
            gt = _to_numpy(gt).squeeze()
            if pred.shape != gt.shape:
                raise ValueError(f'{name}: prediction is {pred.shape} but ground truth is '
                                 f'{gt.shape}; they must have the same size')
            valid = gt != self.ignore_index
            pred_road = pred == self.road_class
            gt_road = (gt == self.road_class) & valid
            truth = self.gt_cache.get(gt_road)
            pred_scored = pred_road & valid
            pred_skeleton = skeleton(pred_scored)
            result = dict(counts=road_counts(pred_road, gt_road, valid, self.rho,
                                             pred_skeleton=pred_skeleton,
                                             gt_skeleton=truth.skeleton()))
            pred_conn = _field(sample, 'pred_conn')
            gt_conn = _field(sample, 'gt_conn_map', 'gt_conn')
            if pred_conn is not None and gt_conn is not None:
                pc, gc = _to_numpy(pred_conn).squeeze(), _to_numpy(gt_conn).squeeze()
                if pc.shape != gc.shape:
                    raise ValueError(f'{name}: pred_conn is {pc.shape} but the connectivity '
                                     f'label is {gc.shape}')
                result['conn_hist'] = confusion_matrix(
                    pc.astype(np.int64), gc.astype(np.int64), _CONN_BINS, self.ignore_index)
            if self.graph_due:
                # the prediction's skeleton serves its graph too when no road was ignored
                same = not np.any(pred_road & ~valid)
                pred_graph = self._mask_graph(pred_road, pred_skeleton if same else
                                              skeleton(pred_road))
                result.update(self._graph_scores(self._gt_graph(sample, gt_road, truth),
                                                 pred_graph))
            self._seen += 1
            self.results.append(result)

    def _graph_scores(self, gt_graph: RoadGraph, pred_graph: RoadGraph) -> dict:
        out = dict()
        if not (self.skip_empty_gt_graph and gt_graph.num_edges == 0):
            out['apls'] = apls_score(gt_graph, pred_graph, self.apls_settings).apls
        topo = topo_score(gt_graph, pred_graph, self.topo_settings, seed=self.seed + self._seen)
        out['topo'] = (topo.tp, topo.fp, topo.fn)
        return out

    def evaluate(self, size: int) -> dict:
        try:
            return super().evaluate(size)
        finally:  # every rank counts evaluations, so all agree on graph_due
            self._evaluations += 1
            self._seen = 0

    def compute_metrics(self, results: list) -> Dict[str, float]:
        keys = results[0]['counts'].keys() if results else []
        total = {k: sum(r['counts'][k] for r in results) for k in keys}
        metrics = OrderedDict()
        if results:
            pixel = scores_from_counts(total)
            metrics.update((key, pixel[name]) for name, key in _PIXEL_KEYS.items())
        hists = [r['conn_hist'] for r in results if 'conn_hist' in r]
        if hists:
            metrics['conn_mIoU'] = class_mean(class_scores(np.sum(hists, axis=0))['IoU'])
        with_graph = [r for r in results if 'topo' in r]
        if with_graph:
            apls = [r['apls'] for r in with_graph if 'apls' in r]
            metrics['APLS'] = float(np.mean(apls)) if apls else float('nan')
            topo = count_scores(*np.sum([r['topo'] for r in with_graph], axis=0))
            metrics.update(TOPO_F1=topo['F1'], TOPO_precision=topo['precision'],
                           TOPO_recall=topo['recall'])
        metrics = OrderedDict((k, percent(v)) for k, v in metrics.items())
        MMLogger.get_current_instance().info(
            'road metrics: ' + ', '.join(f'{k}={v:.2f}' for k, v in metrics.items()))
        return metrics
