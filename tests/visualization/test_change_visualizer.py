"""ChangeDetectionVisualizer writes titled A | B | ground truth | prediction panels
with a colour legend, named after the sample, through mmseg's visualization hook."""
from types import SimpleNamespace

import cv2
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.engine.hooks import SegVisualizationHook
from mmseg.structures import SegDataSample

from _panels import legend_colours, panel, title_strip
from mmkd_rs.registry import VISUALIZERS
from mmkd_rs.visualization.change_visualizer import (CHANGE, FALSE_NEGATIVE, FALSE_POSITIVE,
                                                     IGNORED, NO_CHANGE, to_display)


def _sample(tmp_path, name='test_7.png'):
    h, w = 16, 24
    cv2.imwrite(str(tmp_path / name), np.full((h, w, 3), 40, np.uint8))
    cv2.imwrite(str(tmp_path / 'b.png'), np.full((h, w, 3), 200, np.uint8))
    truth = torch.zeros(1, h, w, dtype=torch.long)
    truth[0, :8, :8] = 1
    truth[0, 15, :] = 255
    pred = torch.zeros(1, h, w, dtype=torch.long)
    pred[0, :8, 4:12] = 1
    sample = SegDataSample(metainfo=dict(img_path=str(tmp_path / name),
                                         img_path2=str(tmp_path / 'b.png')))
    sample.gt_sem_seg = PixelData(data=truth)
    sample.pred_sem_seg = PixelData(data=pred)
    return sample


def test_titled_panels_and_legend_written_and_read_back(tmp_path):
    sample = _sample(tmp_path)
    visualizer = VISUALIZERS.build(dict(type='ChangeDetectionVisualizer', name='cd_vis_test',
                                        vis_backends=[dict(type='LocalVisBackend')],
                                        save_dir=str(tmp_path / 'vis')))
    out_file = tmp_path / 'panel.png'
    visualizer.add_datasample('x', None, sample, out_file=str(out_file))
    drawn = cv2.imread(str(out_file))[..., ::-1]
    # 16 x 24 panels are enlarged 11x (longer side >= 256 px): 176 x 264 each,
    # 24 px title strip, 8 px gaps, one 22 px legend row
    assert drawn.shape == (24 + 176 + 8 + 22, 4 * 264 + 5 * 8, 3)
    panel_a, panel_b, panel_gt, panel_pred = (panel(drawn, i, 16, 24, 11) for i in range(4))
    assert (panel_a == 40).all() and (panel_b == 200).all()
    assert (panel_gt[:8, :8] == CHANGE).all() and (panel_gt[:8, 8:15] == 0).all()
    assert (panel_gt[15] == IGNORED).all()
    assert (panel_pred[:8, 4:8] == CHANGE).all()           # true positives
    assert (panel_pred[:8, 8:12] == FALSE_POSITIVE).all()  # predicted, not true
    assert (panel_pred[:8, :4] == FALSE_NEGATIVE).all()    # true, missed
    for i in range(4):  # each title is text in the strip above its own panel
        assert (title_strip(drawn, i, 264) != 255).any(), i
    assert legend_colours(drawn, 24 + 176 + 8) >= {NO_CHANGE, CHANGE, IGNORED,
                                                   FALSE_POSITIVE, FALSE_NEGATIVE}


def test_show_dir_names_files_after_the_sample(tmp_path):
    """mmseg's hook names a test image 'test_<basename>'; the file is '<stem>.png'
    (not 'test_test_7.png_0.png'), and a repeated name gets '_1'."""
    sample = _sample(tmp_path)
    VISUALIZERS.build(dict(type='ChangeDetectionVisualizer', name='cd_vis_names',
                           vis_backends=[dict(type='LocalVisBackend')],
                           save_dir=str(tmp_path / 'show')))
    hook = SegVisualizationHook(draw=True, interval=1)
    runner = SimpleNamespace(iter=0)
    hook._after_iter(runner, 0, {}, [sample, sample], mode='test')
    folder = tmp_path / 'show' / 'vis_data' / 'vis_image'
    assert sorted(p.name for p in folder.iterdir()) == ['test_7.png', 'test_7_1.png']
    assert cv2.imread(str(folder / 'test_7.png')).shape == (230, 1096, 3)
    # drawn during training: the iteration is part of the name
    hook._after_iter(SimpleNamespace(iter=300), 0, {}, [sample], mode='val')
    assert (folder / 'test_7_iter300.png').is_file()


def test_to_display_stretches_non_8bit():
    image = np.stack([np.linspace(0, 1000, 100).reshape(10, 10)] * 4, -1).astype(np.uint16)
    shown = to_display(image)
    assert shown.shape == (10, 10, 3) and shown.dtype == np.uint8
    assert shown.min() == 0 and shown.max() == 255
