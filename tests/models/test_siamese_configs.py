"""Every config of configs/changedet builds and runs one step on synthetic data."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from mmkd_rs.datasets.synthetic import generate_synthetic_levir
from mmkd_rs.registry import DATASETS, MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIGS = sorted((REPO / 'configs' / 'changedet').glob('*.py'))


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic_levir')
    return str(generate_synthetic_levir(str(root), num_train=2, num_val=1, num_test=1, size=64))


def test_configs_exist():
    names = {path.name for path in CONFIGS}
    assert {'siam_r50-fpn_1xb8-20k_levir-cd-256x256.py',
            'siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
            'siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'} <= names


@pytest.mark.slow
@pytest.mark.parametrize('config', CONFIGS, ids=lambda p: p.stem)
def test_config_builds_and_runs(config, synthetic_root):
    init_default_scope('mmkd_rs')
    cfg = Config.fromfile(str(config))
    assert cfg.visualizer.type == 'ChangeDetectionVisualizer'
    assert cfg.model.test_cfg.mode == 'slide'
    datasets = {}
    for split in ('train', 'val', 'test'):
        dataset_cfg = cfg[f'{split}_dataloader'].dataset
        dataset_cfg.data_root = synthetic_root
        datasets[split] = DATASETS.build(dataset_cfg)
        assert len(datasets[split]) == (2 if split == 'train' else 1)

    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    batch = pseudo_collate([datasets['train'][0], datasets['train'][1]])
    model.train()
    losses = model(**model.data_preprocessor(batch, training=True), mode='loss')
    assert torch.isfinite(losses['decode.loss_ce'])

    model.eval()
    with torch.no_grad():
        (result, ) = model.test_step(pseudo_collate([datasets['test'][0]]))
    assert result.pred_sem_seg.data.shape == (1, 64, 64)
    assert result.img_path2.endswith('.png')
