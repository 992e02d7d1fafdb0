"""RoadVisualizer: three titled panels with the graph legend, written and read back."""
from types import SimpleNamespace

import cv2
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.engine.hooks import SegVisualizationHook
from mmseg.structures import SegDataSample
from PIL import Image

import mmkd_rs  # noqa: F401
from _panels import legend_colours, panel, title_strip
from mmkd_rs.registry import VISUALIZERS
from mmkd_rs.visualization.road_visualizer import (DEAD_END, EDGE, FALSE_NEGATIVE,
                                                   FALSE_POSITIVE, JUNCTION, ROAD,
                                                   RoadVisualizer)


def _sample(img_path=None):
    truth = np.zeros((64, 96), np.int64)
    truth[30:34, 4:92] = 1           # horizontal road
    truth[4:60, 46:50] = 1           # vertical road: a 4-way junction
    pred = truth.copy()
    pred[4:20, 46:50] = 0            # the top arm is missed
    pred[44:60, 6:26] = 1            # a false positive blob
    sample = SegDataSample(metainfo=dict(img_path=img_path) if img_path else None)
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(truth)[None])
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])
    return sample


def test_panels_graph_titles_and_legend(tmp_path):
    vis = RoadVisualizer(name='road_vis_test', graph_cfg=dict(min_spur_length=0,
                                                              min_object_area=0))
    image = np.full((64, 96, 3), 90, np.uint8)
    out = tmp_path / 'roads.png'
    vis.add_datasample('x', image, _sample(), out_file=str(out))
    drawn = np.asarray(Image.open(out).convert('RGB'))
    # 64 x 96 enlarged 3x: 192 x 288 panels; title strip 24, gaps 8, one legend row 22
    assert drawn.shape == (24 + 192 + 8 + 22, 3 * 288 + 4 * 8, 3)
    image_panel, gt_panel, pred_panel = (panel(drawn, i, 64, 96, 3) for i in range(3))
    assert (image_panel == 90).all()
    assert (gt_panel[31, 10] == 255).all() and (gt_panel[10, 10] == 0).all()
    colours = {tuple(c) for c in pred_panel.reshape(-1, 3)}
    assert FALSE_NEGATIVE in colours          # missed top arm
    assert EDGE in colours                    # graph edges drawn
    assert JUNCTION in colours or DEAD_END in colours
    assert tuple(pred_panel[8, 47]) == FALSE_NEGATIVE
    # the false-positive blob is red where the graph is not drawn over it
    assert FALSE_POSITIVE in colours
    for i in range(3):
        assert (title_strip(drawn, i, 288) != 255).any(), i
    assert legend_colours(drawn, 24 + 192 + 8) >= {(0, 0, 0), ROAD, FALSE_POSITIVE,
                                                   FALSE_NEGATIVE, EDGE, JUNCTION, DEAD_END}


def test_show_dir_names_files_after_the_tile(tmp_path):
    cv2.imwrite(str(tmp_path / 'tile_3.tif'), np.full((64, 96, 3), 90, np.uint8))
    VISUALIZERS.build(dict(type='RoadVisualizer', name='road_vis_names',
                           vis_backends=[dict(type='LocalVisBackend')],
                           save_dir=str(tmp_path / 'show')))
    hook = SegVisualizationHook(draw=True, interval=1)
    hook._after_iter(SimpleNamespace(iter=0), 0, {}, [_sample(str(tmp_path / 'tile_3.tif'))],
                     mode='test')
    written = sorted((tmp_path / 'show' / 'vis_data' / 'vis_image').iterdir())
    assert [p.name for p in written] == ['tile_3.png']
    assert cv2.imread(str(written[0])).shape == (246, 896, 3)
