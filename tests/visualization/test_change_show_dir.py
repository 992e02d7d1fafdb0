"""tools/test.py --show-dir on a change-detection config writes one titled 4-panel
PNG per test pair, named after the pair."""
import glob
import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmkd_rs.datasets.synthetic import generate_synthetic_levir
from mmkd_rs.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / 'configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'


@pytest.mark.slow
def test_show_dir_writes_a_b_truth_prediction_panels(tmp_path):
    data_root = generate_synthetic_levir(str(tmp_path / 'data'), num_train=1, num_val=1,
                                         num_test=2, size=32)
    init_default_scope('mmkd_rs')
    model = MODELS.build(Config.fromfile(str(CONFIG)).model)
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), tmp_path / 'ckpt.pth')

    # Only the test split exists: testing must not build the training dataset.
    roots = [f'test_dataloader.dataset.data_root={data_root}',
             f'train_dataloader.dataset.data_root={tmp_path / "no_train_split"}']
    env = dict(os.environ, OMP_NUM_THREADS='1')
    result = subprocess.run(
        [sys.executable, str(REPO / 'tools' / 'test.py'), str(CONFIG), str(tmp_path / 'ckpt.pth'),
         '--work-dir', str(tmp_path / 'work'), '--show-dir', str(tmp_path / 'show'),
         '--cfg-options', *roots],
        env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    panels = sorted(glob.glob(str(tmp_path / 'show' / '**' / '*.png'), recursive=True))
    tests = sorted(os.listdir(os.path.join(data_root, 'test', 'A')))
    assert [os.path.basename(p) for p in panels] == tests  # '<sample name>.png'
    for path in panels:
        # 32 px tiles enlarged 8x, 24 px title strip, 8 px gaps, one legend row
        assert cv2.imread(path).shape == (24 + 256 + 8 + 22, 4 * 256 + 5 * 8, 3)
    assert 'F1' in result.stdout + result.stderr
