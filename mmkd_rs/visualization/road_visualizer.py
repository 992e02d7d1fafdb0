"""Visualizer drawing ``image | ground truth | prediction + road graph`` panels."""
from typing import List, Optional

import cv2
import mmcv
import numpy as np
from mmseg.structures import SegDataSample

from mmkd_rs.evaluation.graph.skeleton_graph import mask_to_graph
from mmkd_rs.registry import VISUALIZERS
from .panel_visualizer import PanelVisualizer
from .change_visualizer import to_display

# Colours (RGB).
ROAD = (255, 255, 255)
IGNORED = (128, 128, 128)
FALSE_POSITIVE = (230, 40, 40)
FALSE_NEGATIVE = (40, 120, 255)
EDGE = (255, 200, 0)
JUNCTION = (0, 230, 0)
DEAD_END = (255, 0, 255)


def mask_panel(mask: np.ndarray, truth: Optional[np.ndarray] = None, road_index: int = 1,
               ignore_index: int = 255) -> np.ndarray:
    """Road mask (H, W) -> RGB panel: white road, grey ignored; with ``truth``,
    false positives red and missed road blue."""
    panel = np.zeros(mask.shape + (3, ), np.uint8)
    panel[mask == road_index] = ROAD
    panel[mask == ignore_index] = IGNORED
    if truth is not None:
        panel[(mask == road_index) & (truth != road_index) & (truth != ignore_index)] = \
            FALSE_POSITIVE
        panel[(mask != road_index) & (truth == road_index)] = FALSE_NEGATIVE
    return panel


def draw_graph(panel: np.ndarray, graph, thickness: int = 2, radius: int = 4) -> np.ndarray:
    """Draw a pixel-coordinate :class:`RoadGraph` (x, y) on an RGB panel:
    edges yellow, junctions (degree >= 3) green, dead ends magenta."""
    out = np.ascontiguousarray(panel.copy())
    for line in graph.polylines:
        pts = np.round(np.asarray(line)).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(out, [pts], False, EDGE, thickness, cv2.LINE_AA)
    degree = graph.degrees()
    for (x, y), deg in zip(graph.nodes, degree):
        if deg != 2:
            color = JUNCTION if deg >= 3 else DEAD_END
            cv2.circle(out, (int(round(x)), int(round(y))), radius, color, -1, cv2.LINE_AA)
    return out


@VISUALIZERS.register_module()
class RoadVisualizer(PanelVisualizer):
    """mmseg ``SegLocalVisualizer`` for road extraction.

    ``add_datasample`` draws, left to right: the image, the ground truth (white
    road, grey ignored) and the prediction (white = correct road, red = false
    positive, blue = missed road) with the road graph extracted from the
    predicted mask drawn over it: edges yellow, junctions green, dead ends
    magenta; titled "image", "ground truth" and "prediction + road graph",
    with a legend of these colours below. The graph is extracted exactly as
    ``RoadMetric`` does for APLS (``mask_to_graph`` with ``graph_cfg``). Used
    by ``tools/test.py --show-dir`` through ``visualizer =
    dict(type='RoadVisualizer', ...)``.

    Args:
        graph_cfg (dict): Arguments of
            :func:`mmkd_rs.evaluation.graph.skeleton_graph.mask_to_graph`.
        road_index (int): Label of the road class. Defaults to 1.
        **kwargs: ``SegLocalVisualizer`` arguments.
    """

    def __init__(self, name: str = 'visualizer', graph_cfg: Optional[dict] = None,
                 road_index: int = 1, **kwargs):
        super().__init__(name=name, **kwargs)
        self.graph_cfg = dict(graph_cfg or {})
        self.road_index = road_index

    def draw_panels(self, image: Optional[np.ndarray], data_sample: Optional[SegDataSample],
                    draw_gt: bool = True,
                    draw_pred: bool = True) -> tuple[List[tuple], List[tuple]]:
        """Titled panels ``[image, (ground truth), (prediction + graph)]`` and the legend."""
        if image is None:
            if data_sample is None or 'img_path' not in data_sample.metainfo:
                raise ValueError('RoadVisualizer: no image and no img_path in the data sample')
            image = mmcv.imread(data_sample.metainfo['img_path'], channel_order='rgb')
        truth, pred = self.sample_masks(data_sample)
        panels, shown = [('image', to_display(image))], []
        if draw_gt and truth is not None:
            panels.append(('ground truth', mask_panel(truth, road_index=self.road_index)))
            shown.append(truth)
        scored = draw_pred and pred is not None and truth is not None
        if draw_pred and pred is not None:
            graph = mask_to_graph((pred == self.road_index).astype(np.uint8), **self.graph_cfg)
            panels.append(('prediction + road graph',
                           draw_graph(mask_panel(pred, truth, self.road_index), graph)))
            shown.append(pred)
        panels = self.fit_panels(panels, truth, pred, image.shape)
        legend = [('background', (0, 0, 0)), ('road', ROAD)] if shown else []
        if any((m == 255).any() for m in shown):
            legend.append(('ignored', IGNORED))
        if scored:
            legend += [('false positive', FALSE_POSITIVE), ('false negative', FALSE_NEGATIVE)]
        if draw_pred and pred is not None:
            legend += [('graph edge', EDGE), ('junction', JUNCTION), ('dead end', DEAD_END)]
        return panels, legend
