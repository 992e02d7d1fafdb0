"""The distillation configs: teacher wiring, student inheritance, READMEs."""
import glob
import os

import pytest
from mmengine.config import Config

import mmkd_rs  # noqa: F401

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METHODS = ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist')
CONFIGS = sorted(p for m in METHODS + ('mgd',)
                 for p in glob.glob(os.path.join(REPO, 'configs', m, '*.py')))
# family (config-name tail) -> its student config and teacher (config, checkpoint); the
# EO -> SAR configs take the HFD-Net config of the same size with another distiller
FAMILIES = {
    '_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py': (
        'configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
        'configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256x256', 20000),
    '_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py': (
        'configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
        'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-cd-128x128', 300),
    '_linknet-r18w32_dlinknet-r34_4xb4-40k_deepglobe-512x512.py': (
        'configs/tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py',
        'configs/tskd/dlinknet_r34_4xb4-40k_deepglobe-512x512', 40000),
    '_linknet-r18w16_dlinknet-r34_1xb4-quick_synth-roads-64x64.py': (
        'configs/tskd/linknet_r18w16_1xb4-quick_synth-roads-64x64.py',
        'configs/tskd/dlinknet_r34_1xb4-quick_synth-roads-64x64', 300),
    '_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py': (
        'configs/hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
        None, None),
    '_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py': (
        'configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
        None, None),
}


def _family(path):
    tails = [t for t in FAMILIES if os.path.basename(path).endswith(t)]
    assert len(tails) == 1, f'{path}: no family tail in FAMILIES'
    return FAMILIES[tails[0]]


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
    base_path, teacher, iters = _family(path)
    base = Config.fromfile(base_path)
    assert cfg.train_dataloader == base.train_dataloader
    assert cfg.val_evaluator == base.val_evaluator
    if teacher is None:         # EO -> SAR: the HFD-Net model with another distiller
        assert {k: v for k, v in model.items() if k != 'distiller'} == \
            {k: v for k, v in base.model.items() if k != 'distiller'}
    else:
        assert model.student == base.model
        assert model.teacher == f'{teacher}.py'
        assert model.teacher_ckpt == f'work_dirs/{os.path.basename(teacher)}/iter_{iters}.pth'
    assert os.path.isfile(model.teacher)
    assert {h['type'] for h in cfg.custom_hooks} >= {'DistillCheckpointHook'}
    cfg.merge_from_dict({'model.teacher_ckpt': 'other.pth'})
    assert cfg.model.teacher_ckpt == 'other.pth'
