"""SAREOVisualizer: titled panels with the class legend written to PNG and read back."""
from types import SimpleNamespace

import mmcv
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from _panels import legend_colours, panel, title_strip
from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6
from mmkd_rs.datasets.transforms import (LoadBuildingFootprints,
                                         LoadPairedModalities)
from mmkd_rs.engine.sar_visualization_hook import SAREOVisualizationHook
from mmkd_rs.registry import VISUALIZERS
from mmkd_rs.visualization import SAREOVisualizer
from mmkd_rs.visualization.sar_visualizer import sar_display


def test_sar_display_stretch_and_nodata():
    sar = np.array([[[0.0], [10.0]], [[20.0], [np.nan]]], np.float32)
    out = sar_display(sar, band=0, percentiles=(0, 100))
    assert out.shape == (2, 2, 3)
    assert out[..., 0].tolist() == [[0, 127], [255, 0]]
    lin = sar_display(np.full((1, 2, 1), 10.0, np.float32), to_db=True)
    assert lin.shape == (1, 2, 3)


def test_writes_sar_eo_gt_pred_png(tmp_path):
    root = tmp_path / 'sn6'
    splits = generate_synthetic_spacenet6(str(root), num_tiles=3, size=32,
                                          num_strips=2, seed=1)
    tid = splits['train'][-1]
    sar = next((root / 'SAR-Intensity').glob(f'*{tid}.tif'))
    eo = next((root / 'PS-RGB').glob(f'*{tid}.tif'))
    geo = next((root / 'geojson_buildings').glob(f'*{tid}.geojson'))
    info = dict(sar_path=str(sar), eo_path=str(eo), seg_map_path=str(geo),
                orientation_flip=True)
    loaded = LoadBuildingFootprints()(LoadPairedModalities()(dict(info)))
    gt = loaded['gt_seg_map'].astype(np.int64)
    pred = 1 - gt
    sample = SegDataSample(metainfo=dict(
        img_path=str(sar), sar_path=str(sar), eo_path=str(eo),
        orientation_flip=True))
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(gt)[None])
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])

    vis = SAREOVisualizer(name='sar_vis_test', save_dir=str(tmp_path / 'vis'),
                          sar_band_names=('HH', 'HV', 'VH', 'VV'))
    vis.dataset_meta = dict(classes=('background', 'building'),
                            palette=[[0, 0, 0], [255, 200, 0]])
    assert vis.sar_title() == 'SAR (HH, dB)'
    out_file = tmp_path / 'panel.png'
    vis.add_datasample('tile', None, sample, out_file=str(out_file))
    drawn = mmcv.imread(str(out_file), channel_order='rgb')
    # 32 px tiles enlarged 8x: 256 px panels, 24 px titles, 8 px gaps, one legend row
    assert drawn.shape == (24 + 256 + 8 + 22, 4 * 256 + 5 * 8, 3)
    sar_panel, eo_panel, gt_panel, pred_panel = (panel(drawn, i, 32, 32, 8) for i in range(4))
    # EO panel is the (orientation-turned) PS-RGB tile
    assert np.array_equal(eo_panel, loaded['teacher_img'])
    assert (gt_panel[gt == 1] == [255, 200, 0]).all()
    assert (pred_panel[gt == 1] == [0, 0, 0]).all()
    # SAR panel is grey and black exactly where SAR has no data
    assert (sar_panel[..., 0] == sar_panel[..., 2]).all()
    assert (sar_panel[loaded['sar_nodata']] == 0).all()
    for i in range(4):
        assert (title_strip(drawn, i, 256) != 255).any(), i
    assert legend_colours(drawn, 24 + 256 + 8) >= {(0, 0, 0), (255, 200, 0)}


def test_show_dir_names_files_after_the_tile(tmp_path):
    """SAREOVisualizationHook names a tile 'test_<stem>': the file is '<stem>.png'."""
    root = tmp_path / 'sn6'
    splits = generate_synthetic_spacenet6(str(root), num_tiles=3, size=32,
                                          num_strips=2, seed=1)
    sar = next((root / 'SAR-Intensity').glob(f'*{splits["train"][-1]}.tif'))
    sample = SegDataSample(metainfo=dict(img_path=str(sar), sar_path=str(sar)))
    sample.pred_sem_seg = PixelData(data=torch.zeros(1, 32, 32, dtype=torch.long))
    VISUALIZERS.build(dict(type='SAREOVisualizer', name='sar_vis_names',
                           vis_backends=[dict(type='LocalVisBackend')],
                           save_dir=str(tmp_path / 'show')))
    hook = SAREOVisualizationHook(draw=True, interval=1)
    hook._after_iter(SimpleNamespace(), 0, {}, [sample], mode='test')
    written = sorted((tmp_path / 'show' / 'vis_data' / 'vis_image').iterdir())
    assert [p.name for p in written] == [sar.stem + '.png']
    # SAR and prediction only: 2 panels of 256 px
    assert mmcv.imread(str(written[0])).shape[1] == 2 * 256 + 3 * 8
