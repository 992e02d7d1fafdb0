"""ChangeDetectionVisualizer writes A | B | ground truth | prediction panels."""
import cv2
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.registry import VISUALIZERS
from mmkd_rs.visualization.change_visualizer import (CHANGE, FALSE_NEGATIVE, FALSE_POSITIVE,
                                                     to_display)


def test_four_panels_written_and_read_back(tmp_path):
    h, w = 16, 24
    date_a = np.full((h, w, 3), 40, np.uint8)
    date_b = np.full((h, w, 3), 200, np.uint8)
    cv2.imwrite(str(tmp_path / 'a.png'), date_a)
    cv2.imwrite(str(tmp_path / 'b.png'), date_b)
    truth = torch.zeros(1, h, w, dtype=torch.long)
    truth[0, :8, :8] = 1
    truth[0, 15, :] = 255
    pred = torch.zeros(1, h, w, dtype=torch.long)
    pred[0, :8, 4:12] = 1
    sample = SegDataSample(metainfo=dict(img_path=str(tmp_path / 'a.png'),
                                         img_path2=str(tmp_path / 'b.png')))
    sample.gt_sem_seg = PixelData(data=truth)
    sample.pred_sem_seg = PixelData(data=pred)

    visualizer = VISUALIZERS.build(dict(type='ChangeDetectionVisualizer', name='cd_vis_test',
                                        vis_backends=[dict(type='LocalVisBackend')],
                                        save_dir=str(tmp_path / 'vis')))
    out_file = tmp_path / 'panel.png'
    visualizer.add_datasample('x', date_a[..., ::-1].copy(), sample, out_file=str(out_file))
    drawn = cv2.imread(str(out_file))[..., ::-1]
    assert drawn.shape == (h, 4 * w, 3)
    panel_a, panel_b, panel_gt, panel_pred = np.split(drawn, 4, axis=1)
    assert (panel_a == 40).all() and (panel_b == 200).all()
    assert (panel_gt[:8, :8] == CHANGE).all() and (panel_gt[:8, 8:15] == 0).all()
    assert (panel_gt[15] == 128).all()  # ignored row in grey
    assert (panel_pred[:8, 4:8] == CHANGE).all()           # true positives
    assert (panel_pred[:8, 8:12] == FALSE_POSITIVE).all()  # predicted, not true
    assert (panel_pred[:8, :4] == FALSE_NEGATIVE).all()    # true, missed

    # Without out_file the panel goes to the vis backend, like mmseg's visualizer.
    visualizer.add_datasample('y', None, sample, step=3)
    written = list((tmp_path / 'vis').rglob('y_3.png'))
    assert len(written) == 1 and cv2.imread(str(written[0])).shape == (h, 4 * w, 3)


def test_to_display_stretches_non_8bit():
    image = np.stack([np.linspace(0, 1000, 100).reshape(10, 10)] * 4, -1).astype(np.uint16)
    shown = to_display(image)
    assert shown.shape == (10, 10, 3) and shown.dtype == np.uint8
    assert shown.min() == 0 and shown.max() == 255
