"""The FRD ablation configs: names, inheritance, wiring, README markers."""
import glob
import os
import re

import pytest
from distill_testkit import use_scope
from mmengine.config import Config

from mmkd_rs.registry import DISTILLERS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FRD_DIR = os.path.join(REPO, 'configs', 'frd')
QUICK = 'frd_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'
CONFIGS = sorted(p for p in glob.glob(os.path.join(FRD_DIR, '*.py'))
                 if not p.endswith(QUICK))
# the baselines' copies keep the F1-best checkpoint: '<method>-bestf1' (docs/config_naming.md)
NAME = re.compile(r'^(?P<method>[a-z0-9-]+?)(?P<bestf1>-bestf1)?_siam-r18w32_siam-r50_'
                  r'1xb8-20k_(?P<data>levir|whu)-cd-256x256\.py$')
BESTF1 = ('kd', 'cwd', 'fitnet', 'at')
# method -> distill losses its distiller must hold
EXPECTED_LOSSES = {
    'kd': {'loss_kd'}, 'cwd': {'loss_cwd'}, 'fitnet': {'loss_fitnet'},
    'at': {'loss_at_layer2', 'loss_at_layer3', 'loss_at_layer4'},
    'bfdd': {'loss_bfdd'}, 'bfdd-allpairs': {'loss_bfdd'},
    'ccrd': {'loss_ccrd'}, 'ccrd-kmeans': {'loss_ccrd'},
    'frd': {'loss_bfdd', 'loss_ccrd'}, 'frd-kd': {'loss_bfdd', 'loss_ccrd', 'loss_kd'},
}
MAIN = ('teacher', 'student', 'kd', 'cwd', 'fitnet', 'at', 'bfdd', 'ccrd', 'frd', 'frd-kd')


def _load(name):
    return Config.fromfile(os.path.join(FRD_DIR, name))


def test_ablation_is_complete_for_both_datasets():
    names = {os.path.basename(p) for p in CONFIGS}
    for data in ('levir', 'whu'):
        assert f'siam-bestf1_r50-fpn_1xb8-20k_{data}-cd-256x256.py' in names
        assert f'siam-bestf1_r18w32-fpn_1xb8-20k_{data}-cd-256x256.py' in names
        for method in MAIN[2:]:
            variant = method + '-bestf1' if method in BESTF1 else method
            assert f'{variant}_siam-r18w32_siam-r50_1xb8-20k_{data}-cd-256x256.py' in names


@pytest.mark.parametrize('path', CONFIGS, ids=os.path.basename)
def test_config_wiring(path, monkeypatch):
    monkeypatch.chdir(REPO)
    use_scope()
    name = os.path.basename(path)
    cfg = Config.fromfile(path)
    data = 'whu' if '_whu-cd-' in name else 'levir'
    dataset = cfg.train_dataloader.dataset
    assert dataset.type == {'levir': 'LEVIRCDDataset', 'whu': 'WHUCDDataset'}[data]
    assert dataset.data_root == f'data/{data}_cd'
    for loader in (cfg.val_dataloader, cfg.test_dataloader):
        assert loader.dataset.type == dataset.type
        assert loader.dataset.data_root == dataset.data_root
    assert cfg.default_hooks.checkpoint.save_best == 'F1'
    assert cfg.default_hooks.checkpoint.rule == 'greater'
    if name.startswith('siam-bestf1_'):  # the teacher and the student alone
        assert cfg.model.type == 'SiameseChangeSegmentor'
        depth = 50 if name.startswith('siam-bestf1_r50-') else 18
        assert cfg.model.backbone.depth == depth
        return
    match = NAME.match(name)
    assert match, (f'{name} does not follow '
                   '<method>_<student>_<teacher>_<N>xb<B>-<schedule>_<dataset>-<crop>')
    assert bool(match.group('bestf1')) == (match.group('method') in BESTF1), name
    assert cfg.model.type == 'TeacherStudentDistill'
    teacher = f'siam-bestf1_r50-fpn_1xb8-20k_{data}-cd-256x256'
    assert cfg.model.teacher == f'configs/frd/{teacher}.py'
    assert os.path.isfile(os.path.join(REPO, cfg.model.teacher))
    assert cfg.model.teacher_ckpt == f'work_dirs/{teacher}/iter_20000.pth'
    assert cfg.model.student.backbone.depth == 18
    assert cfg.model.student.backbone.base_channels == 32
    # Building the distiller checks every loss and its argument mapping.
    distiller = DISTILLERS.build(cfg.model.distiller)
    assert set(distiller.distill_losses) == EXPECTED_LOSSES[match.group('method')]


def test_frd_options_reach_the_losses(monkeypatch):
    monkeypatch.chdir(REPO)
    use_scope()
    cfg = _load('frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py')
    losses = DISTILLERS.build(cfg.model.distiller).distill_losses
    assert losses['loss_bfdd'].mode == 'random'
    assert losses['loss_ccrd'].prototypes == 'label'
    assert losses['loss_ccrd'].projector.in_channels == 64
    assert losses['loss_ccrd'].projector.out_channels == 256
    mappings = cfg.model.distiller.loss_forward_mappings
    assert mappings.loss_ccrd.gt_seg == dict(from_data='gt_sem_seg')
    allpairs = _load('bfdd-allpairs_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py')
    assert DISTILLERS.build(allpairs.model.distiller).distill_losses['loss_bfdd'].mode == 'all'
    kmeans = _load('ccrd-kmeans_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py')
    loss = DISTILLERS.build(kmeans.model.distiller).distill_losses['loss_ccrd']
    assert (loss.prototypes, loss.num_prototypes) == ('kmeans', 4)


def test_quick_config_matches_the_quick_teacher(monkeypatch):
    monkeypatch.chdir(REPO)
    use_scope()
    cfg = _load(QUICK)
    assert cfg.train_cfg.max_iters == 300
    assert cfg.train_dataloader.dataset.data_root == 'data/synthetic_levir_cd'
    teacher = Config.fromfile(os.path.join(REPO, cfg.model.teacher))
    losses = DISTILLERS.build(cfg.model.distiller).distill_losses
    assert losses['loss_ccrd'].projector.out_channels == teacher.model.neck.out_channels
    assert losses['loss_ccrd'].projector.in_channels == cfg.model.student.neck.out_channels
    assert set(losses) == EXPECTED_LOSSES['frd']
    main = DISTILLERS.build(_load('frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py')
                            .model.distiller).distill_losses
    for name, attrs in (('loss_bfdd', ('distance', 'map_norm', 'match', 'mode', 'loss_weight')),
                        ('loss_ccrd', ('prototypes', 'tau', 'pixel_weight', 'relation_weight',
                                       'contrast_weight', 'num_samples', 'loss_weight'))):
        for attr in attrs:
            assert getattr(losses[name], attr) == getattr(main[name], attr), (name, attr)


def test_readme_lists_every_config_and_has_leaderboard_markers():
    readme = open(os.path.join(FRD_DIR, 'README.md')).read()
    assert QUICK in readme
    for path in CONFIGS:
        assert os.path.basename(path) in readme, os.path.basename(path)
    for key in ('changedet-levir@frd', 'frd-levir', 'frd-whu'):
        start = readme.index(f'<!-- leaderboard:{key}:start -->')
        assert start < readme.index(f'<!-- leaderboard:{key}:end -->')
