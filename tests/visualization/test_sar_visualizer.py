"""SAREOVisualizer: panels written to PNG and read back."""
import mmcv
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6
from mmkd_rs.datasets.transforms import (LoadBuildingFootprints,
                                         LoadPairedModalities)
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

    vis = SAREOVisualizer(name='sar_vis_test', save_dir=str(tmp_path / 'vis'))
    vis.dataset_meta = dict(classes=('background', 'building'),
                            palette=[[0, 0, 0], [255, 200, 0]])
    out_file = tmp_path / 'panel.png'
    vis.add_datasample('tile', None, sample, out_file=str(out_file))
    panel = mmcv.imread(str(out_file), channel_order='rgb')
    assert panel.shape == (32, 4 * 32, 3)
    eo_panel = panel[:, 32:64]
    # EO panel is the (orientation-turned) PS-RGB tile
    assert np.array_equal(eo_panel, loaded['teacher_img'])
    gt_panel, pred_panel = panel[:, 64:96], panel[:, 96:]
    assert (gt_panel[gt == 1] == [255, 200, 0]).all()
    assert (pred_panel[gt == 1] == [0, 0, 0]).all()
    # SAR panel is grey and black exactly where SAR has no data
    sar_panel = panel[:, :32]
    assert (sar_panel[..., 0] == sar_panel[..., 2]).all()
    assert (sar_panel[loaded['sar_nodata']] == 0).all()
