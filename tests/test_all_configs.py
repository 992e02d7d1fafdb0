"""Every config under configs/ builds and runs one training forward.

For each config: synthetic data is written in the on-disk layout the config
expects (``mmkd_rs.datasets.synthetic.catalog``), the training dataset is
built from it, two samples go through the config's own pipeline and data
preprocessor, and the model (distillation models with a random teacher) runs
``mode='loss'``: every loss must be finite and the total must be positive.
Configs added later are covered automatically.
"""
import glob
import os.path as osp

import pytest
import torch

import mmkd_rs  # noqa: F401
from mmkd_rs.datasets.synthetic.catalog import prepare_synthetic
from mmkd_rs.utils.tool_utils import innermost_dataset_cfg

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
# configs/_templates_/ describe data the synthetic writers do not produce (e.g. 4-band
# uint16 pairs): tests/tools/test_check_dataset.py trains each template one step on
# data in its documented format instead.
CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if f'{osp.sep}_base_{osp.sep}' not in p and f'{osp.sep}_templates_{osp.sep}' not in p)


def _random_teachers(model_cfg):
    if model_cfg.get('type') != 'TeacherStudentDistill':
        return model_cfg
    model_cfg['allow_random_teacher'] = True
    if model_cfg.get('teachers'):
        for spec in model_cfg['teachers'].values():
            spec['ckpt'] = None
    else:
        model_cfg['teacher_ckpt'] = None
        if isinstance(model_cfg.get('teacher'), dict) and 'ckpt' in model_cfg['teacher']:
            model_cfg['teacher']['ckpt'] = None
    for loss in (model_cfg.get('distiller') or {}).get('distill_losses', {}).values():
        feature_net = loss.get('feature_net') if isinstance(loss, dict) else None
        if isinstance(feature_net, dict) and 'cfg' in feature_net:  # a built network
            feature_net.pop('ckpt', None)
            feature_net['allow_random'] = True
    return model_cfg


def test_every_config_a_benchmark_suite_trains_is_covered():
    from mmkd_rs.benchmark.suite import load_suites
    files = glob.glob(osp.join(REPO, 'benchmarks', 'suites', '*.py'))
    pinned = {osp.join(REPO, e.config) for path in files for suite in load_suites([path])
              for e in suite.entries}
    assert len(files) >= 10 and len(pinned) >= 20
    assert sorted(pinned - set(CONFIGS)) == []


@pytest.mark.slow
@pytest.mark.parametrize('path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_builds_and_runs_one_forward(path, tmp_path):
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import DATASETS, MODELS

    cfg = Config.fromfile(path)
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    train_ds = cfg.train_dataloader.dataset.to_dict()
    inner = innermost_dataset_cfg(train_ds)
    inner.update(prepare_synthetic(inner, str(tmp_path / 'data'), size=128))
    dataset = DATASETS.build(train_ds)
    assert len(dataset) > 0
    batch = pseudo_collate([dataset[0], dataset[1]])

    torch.manual_seed(0)
    model = MODELS.build(_random_teachers(cfg.model.to_dict()))
    model.train()
    if hasattr(model, 'distiller'):
        model.distiller.set_iter(0)       # as DistillIterHook does on the first iteration
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    total = 0.
    for key, value in losses.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            assert torch.isfinite(v).all(), f'{key} is not finite'
        if 'loss' in key:
            total = total + sum(v.sum() for v in values)
    assert float(total.detach()) > 0
