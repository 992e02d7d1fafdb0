"""End to end: a SAR-only test run with the SAR/EO visualisation hook writes
one titled SAR | EO | ground truth | prediction PNG per tile, named after the
tile (as --show-dir)."""
import glob
import os.path as osp

import mmcv
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'hfd',
                  'fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py')


@pytest.mark.slow
def test_test_run_writes_four_panel_pngs(tmp_path):
    root = str(tmp_path / 'sn6')
    splits = generate_synthetic_spacenet6(root, num_tiles=5, size=32, seed=2,
                                          test_fraction=0.25)
    cfg = Config.fromfile(CONFIG)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.test_dataloader.dataset.data_root = root
    # Only the test split exists: drawing must not build the training dataset.
    cfg.train_dataloader.dataset.data_root = str(tmp_path / 'no_train_split')
    cfg.test_dataloader.num_workers = 0
    cfg.test_dataloader.persistent_workers = False
    cfg.default_hooks.visualization.draw = True  # what --show-dir sets
    cfg.default_hooks.visualization.interval = 1
    cfg.visualizer.save_dir = str(tmp_path / 'show')
    # Visualizers are process-wide singletons by name: avoid one left by another test.
    cfg.visualizer.name = f'sar_show_dir_{tmp_path.name}'
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    assert 'mIoU' in metrics and 'building_F1' in metrics
    pngs = glob.glob(str(tmp_path / 'show' / '**' / '*.png'), recursive=True)
    assert len(pngs) == len(splits['test'])
    sar_files = [f for t in splits['test']
                 for f in glob.glob(osp.join(root, 'SAR-Intensity', f'*{t}.tif'))]
    # named after the SAR tile: '<stem>.png'
    assert sorted(osp.basename(p) for p in pngs) == sorted(
        osp.splitext(osp.basename(f))[0] + '.png' for f in sar_files)
    panel = mmcv.imread(pngs[0])
    # 32 px tiles enlarged 8x, 24 px title strip, 8 px gaps, one legend row
    assert panel.shape == (24 + 256 + 8 + 22, 4 * 256 + 5 * 8, 3)
