"""The distillation configs: teacher wiring, student inheritance, READMEs."""
import glob
import os

import pytest

import mmkd_rs  # noqa: F401
from distill_testkit import assert_family_setup

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METHODS = ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist')
CONFIGS = sorted(p for m in METHODS + ('mgd',)
                 for p in glob.glob(os.path.join(REPO, 'configs', m, '*.py')))


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
    cfg = assert_family_setup(path)
    assert {h['type'] for h in cfg.custom_hooks} >= {'DistillCheckpointHook'}
    cfg.merge_from_dict({'model.teacher_ckpt': 'other.pth'})
    assert cfg.model.teacher_ckpt == 'other.pth'
