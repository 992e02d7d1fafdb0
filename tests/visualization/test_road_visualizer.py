"""RoadVisualizer: three panels written and read back, graph drawn on the prediction."""
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from PIL import Image

import mmkd_rs  # noqa: F401
from mmkd_rs.visualization.road_visualizer import (DEAD_END, EDGE, FALSE_NEGATIVE,
                                                   FALSE_POSITIVE, JUNCTION, RoadVisualizer)


def _sample():
    truth = np.zeros((64, 96), np.int64)
    truth[30:34, 4:92] = 1           # horizontal road
    truth[4:60, 46:50] = 1           # vertical road: a 4-way junction
    pred = truth.copy()
    pred[4:20, 46:50] = 0            # the top arm is missed
    pred[44:60, 6:26] = 1            # a false positive blob
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(truth)[None])
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])
    return sample


def test_panels_and_graph(tmp_path):
    vis = RoadVisualizer(name='road_vis_test', graph_cfg=dict(min_spur_length=0,
                                                              min_object_area=0))
    image = np.full((64, 96, 3), 90, np.uint8)
    out = tmp_path / 'roads.png'
    vis.add_datasample('x', image, _sample(), out_file=str(out))
    drawn = np.asarray(Image.open(out).convert('RGB'))
    assert drawn.shape == (64, 96 * 3, 3)
    image_panel, gt_panel, pred_panel = drawn[:, :96], drawn[:, 96:192], drawn[:, 192:]
    assert (image_panel == 90).all()
    assert (gt_panel[31, 10] == 255).all() and (gt_panel[10, 10] == 0).all()
    colours = {tuple(c) for c in pred_panel.reshape(-1, 3)}
    assert FALSE_NEGATIVE in colours          # missed top arm
    assert EDGE in colours                    # graph edges drawn
    assert JUNCTION in colours or DEAD_END in colours
    assert tuple(pred_panel[8, 47]) == FALSE_NEGATIVE
    # the false-positive blob is red where the graph is not drawn over it
    assert FALSE_POSITIVE in colours
