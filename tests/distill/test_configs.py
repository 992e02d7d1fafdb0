"""The distillation configs: teacher wiring, student inheritance, READMEs."""
import glob
import os

import pytest
from mmengine.config import Config

import mmkd_rs  # noqa: F401

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


@pytest.mark.parametrize('path', CONFIGS, ids=os.path.basename)
def test_config_points_at_teacher_and_inherits_student(path, monkeypatch):
    """Building and one training forward of every config is tests/test_all_configs.py's."""
    monkeypatch.chdir(REPO)
    cfg = Config.fromfile(path)
    model = cfg.model
    assert model.type == 'TeacherStudentDistill'
    quick = '-quick_' in os.path.basename(path)
    teacher = ('siam_r50w32-fpn_1xb4-quick_synth-levir-cd-128x128' if quick else
               'siam_r50-fpn_1xb8-20k_levir-cd-256x256')
    assert model.teacher == f'configs/changedet/{teacher}.py'
    assert os.path.isfile(model.teacher)
    assert model.teacher_ckpt == f'work_dirs/{teacher}/iter_{300 if quick else 20000}.pth'
    student = Config.fromfile('configs/changedet/siam_r18w32-fpn_1xb' + (
        '4-quick_synth-levir-cd-128x128.py' if quick else '8-20k_levir-cd-256x256.py'))
    assert model.student == student.model
    assert cfg.train_dataloader == student.train_dataloader
    assert {h['type'] for h in cfg.custom_hooks} >= {'DistillCheckpointHook'}
    cfg.merge_from_dict({'model.teacher_ckpt': 'other.pth'})
    assert cfg.model.teacher_ckpt == 'other.pth'
