"""Every distillation config builds and gives summed distill losses on a bi-temporal batch."""
import glob
import os

import pytest
import torch
from distill_testkit import use_scope
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.registry import MODELS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METHODS = ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist')
CONFIGS = sorted(p for m in METHODS for p in glob.glob(os.path.join(REPO, 'configs', m, '*.py')))


def test_every_method_has_configs_and_readme():
    for method in METHODS:
        assert glob.glob(os.path.join(REPO, 'configs', method, '*.py')), method
        readme = open(os.path.join(REPO, 'configs', method, 'README.md')).read()
        key = f'changedet-levir-cd-20k@{method}'
        assert f'<!-- leaderboard:{key}:start -->' in readme
        assert f'<!-- leaderboard:{key}:end -->' in readme


@pytest.mark.slow
@pytest.mark.parametrize('path', CONFIGS, ids=os.path.basename)
def test_config_builds_and_distils(path, monkeypatch):
    monkeypatch.chdir(REPO)
    use_scope()
    cfg = Config.fromfile(path)
    assert cfg.model.teacher_ckpt.startswith('work_dirs/siam_r50-fpn_1xb8-20k_levir-cd-256/')
    cfg.merge_from_dict({'model.teacher_ckpt': None, 'model.allow_random_teacher': True})
    model = MODELS.build(cfg.model)
    torch.manual_seed(0)
    samples = []
    for _ in range(2):
        s = SegDataSample(metainfo=dict(img_shape=(32, 32), pad_shape=(32, 32),
                                        ori_shape=(32, 32), channels_per_date=(3, 3)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, 2, (1, 32, 32)))
        samples.append(s)
    losses = model(torch.randn(2, 6, 32, 32), samples, mode='loss')
    distill = [k for k in losses if k.startswith('distill.')]
    assert distill and all('loss' in k for k in distill)
    total, _ = model.parse_losses(losses)
    assert torch.isfinite(total)
    assert total > losses['decode.loss_ce']
