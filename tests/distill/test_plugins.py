"""A third-party package extends every registry-backed extension point of the
suite, loaded by a config's ``custom_imports``: a recorder (``TASK_UTILS``), a
dataset naming its synthetic writer, a random transform with its replay op
(``TRANSFORMS``, ``REPLAY_OPS``), a distill loss (``MODELS``) and a distiller
(``DISTILLERS``); each is then used the way the suite uses its own."""
import copy
import sys
import textwrap

import numpy as np
import pytest
import torch
from distill_testkit import kd_model_cfg, use_scope
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from mmkd_rs import registry
from mmkd_rs.datasets.synthetic.catalog import prepare_synthetic
from mmkd_rs.distill.recorders import build_recorder, recorder_types
from mmkd_rs.distill.teacher_cache import check_pipeline

use_scope()
NAME = 'mmkd_rs_test_plugin'

DATA = '''
"""Tiles of one image and a 0/1 mask, with a random transpose."""
import os
import os.path as osp

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.datasets import BaseSegDataset

from mmkd_rs.datasets.transforms import ReplayOp
from mmkd_rs.registry import DATASETS, REPLAY_OPS, TRANSFORMS


def write_tiles(cfg, cls, root, num, size, seed):
    """num RGB tiles (size x size, uint8) and masks (red > 127) in cfg's folders."""
    rng = np.random.default_rng(seed)
    folders = [osp.join(root, cfg['data_prefix'][k]) for k in ('img_path', 'seg_map_path')]
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
    for i in range(num):
        img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        cv2.imwrite(osp.join(folders[0], f'{i}.png'), img)
        cv2.imwrite(osp.join(folders[1], f'{i}.png'), (img[..., 2] > 127).astype(np.uint8))


@DATASETS.register_module()
class PluginTiles(BaseSegDataset):
    METAINFO = dict(classes=('background', 'foreground'), palette=[[0, 0, 0], [255, 255, 255]])
    synthetic_writer = 'mmkd_rs_test_plugin.data.write_tiles'

    def __init__(self, **kwargs):
        super().__init__(img_suffix='.png', seg_map_suffix='.png', **kwargs)


@TRANSFORMS.register_module()
class RandomTranspose(BaseTransform):
    """Swap the image and label axes with probability prob; records `transposed`."""

    replay_keys, replay_op = ('transposed',), 'transpose'

    def __init__(self, prob=0.5):
        self.prob = prob

    @cache_randomness
    def _draw(self):
        return bool(np.random.rand() < self.prob)

    def transform(self, results):
        results['transposed'] = self._draw()
        if results['transposed']:
            for key in ['img'] + results.get('seg_fields', []):
                results[key] = np.ascontiguousarray(np.swapaxes(results[key], 0, 1))
            results['img_shape'] = results['img'].shape[:2]
        return results


@REPLAY_OPS.register_module(name='transpose')
class TransposeOp(ReplayOp):
    keys = ('transposed',)

    def param(self, get, hw):
        if not get('transposed'):
            return None, hw
        return True, (None if hw is None else hw[::-1])

    def apply(self, x, param, input_hw):
        return x.transpose(-2, -1), input_hw[::-1]
'''

DISTILL = '''
"""A recorder scaling what it records, an L1 logit loss and a distiller wiring them."""
from torch import nn

from mmkd_rs.distill.distillers import ConfigurableDistiller
from mmkd_rs.distill.recorders import ModuleOutputs
from mmkd_rs.registry import DISTILLERS, MODELS, TASK_UTILS


@TASK_UTILS.register_module()
class ScaledOutputs(ModuleOutputs):
    def __init__(self, source, scale=1.0):
        super().__init__(source)
        self.scale = scale

    def _record(self, value):
        super()._record(value * self.scale)


@MODELS.register_module()
class PluginL1Loss(nn.Module):
    def forward(self, preds_S, preds_T):
        return (preds_S - preds_T).abs().mean()


@DISTILLERS.register_module()
class PluginDistiller(ConfigurableDistiller):
    def __init__(self, scale=1.0):
        logits = 'decode_head.conv_seg'
        super().__init__(
            student_recorders=dict(logits=dict(type='ScaledOutputs', source=logits,
                                               scale=scale)),
            teacher_recorders=dict(logits=dict(type='ModuleOutputs', source=logits)),
            distill_losses=dict(loss_l1=dict(type='PluginL1Loss')),
            loss_forward_mappings=dict(loss_l1=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits'))))
'''

CONFIG = f'''
custom_imports = dict(imports=['{NAME}'], allow_failed_imports=False)
train_pipeline = [
    dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
    dict(type='RandomTranspose', prob=0.5),
    dict(type='PackSegInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'pad_shape',
                                          'sample_idx', 'transposed'))]
train_dataloader = dict(dataset=dict(
    type='PluginTiles', data_prefix=dict(img_path='img', seg_map_path='ann'),
    pipeline=train_pipeline))
distiller = dict(type='PluginDistiller', scale=2.0)
'''


@pytest.fixture
def plugin_config(tmp_path, monkeypatch):
    """The plugin package on ``sys.path`` and a config importing it; its
    modules and what it registered are removed afterwards."""
    pkg = tmp_path / 'site' / NAME
    pkg.mkdir(parents=True)
    (pkg / '__init__.py').write_text('from . import data, distill  # noqa: F401\n')
    (pkg / 'data.py').write_text(textwrap.dedent(DATA))
    (pkg / 'distill.py').write_text(textwrap.dedent(DISTILL))
    (tmp_path / 'plugin_cfg.py').write_text(CONFIG)
    monkeypatch.syspath_prepend(str(tmp_path / 'site'))
    yield str(tmp_path / 'plugin_cfg.py')
    for reg in (registry.DATASETS, registry.TRANSFORMS, registry.REPLAY_OPS,
                registry.TASK_UTILS, registry.MODELS, registry.DISTILLERS):
        for name, obj in list(reg.module_dict.items()):
            if obj.__module__.split('.')[0] == NAME:
                del reg.module_dict[name]
    for module in [m for m in sys.modules if m.split('.')[0] == NAME]:
        del sys.modules[module]


def test_plugin_package_extends_recorders_datasets_transforms_and_distillers(
        plugin_config, tmp_path):
    assert NAME not in sys.modules
    cfg = Config.fromfile(plugin_config)          # imports the plugin (custom_imports)
    assert NAME in sys.modules

    # recorder: built from its config like the suite's own, listed with them
    recorder = build_recorder(dict(type='ScaledOutputs', source='decode_head', scale=3.0),
                              'student_recorders')
    assert type(recorder).__name__ == 'ScaledOutputs' and recorder.scale == 3.0
    assert {'ScaledOutputs', 'ModuleOutputs'} <= set(recorder_types())

    # dataset: the catalog finds its writer through the class
    data_cfg = prepare_synthetic(cfg.train_dataloader.dataset, str(tmp_path / 'data'),
                                 num=2, size=32)
    assert sorted(p.name for p in (tmp_path / 'data' / 'ann').iterdir()) == ['0.png', '1.png']

    def loader(prob):
        """The plugin dataset with the transpose drawn with probability ``prob``."""
        pipeline = copy.deepcopy(cfg.train_pipeline)
        pipeline[2]['prob'] = prob
        dataset = registry.DATASETS.build(dict(data_cfg, pipeline=pipeline))
        return pseudo_collate([dataset[0], dataset[1]])

    plain, transposed = loader(0.0), loader(1.0)
    assert [s.transposed for s in transposed['data_samples']] == [True, True]
    assert torch.equal(transposed['inputs'][0], plain['inputs'][0].transpose(-2, -1))
    assert 0 < plain['data_samples'][0].gt_sem_seg.data.float().mean() < 1

    # transform + replay op: the teacher-output cache follows the pipeline and
    # replays the transpose on the stored un-augmented teacher output
    assert [s.kind for s in check_pipeline(cfg.train_pipeline, 'replay')] == ['RandomTranspose']
    model = registry.MODELS.build(kd_model_cfg(
        distiller=cfg.distiller, teacher_cache=dict(pipeline=cfg.train_pipeline, mode='replay')))
    calls = []
    model.teachers['teacher'].backbone.register_forward_hook(lambda *a: calls.append(1))
    data = model.data_preprocessor(plain, True)
    model.run_teachers(data['inputs'], data['data_samples'])
    stored = model.distiller.teacher_groups['teacher']['logits'].get().clone()
    data = model.data_preprocessor(transposed, True)
    model.run_teachers(data['inputs'], data['data_samples'])
    assert len(calls) == 1 and model.teacher_cache.hits == 1
    restored = model.distiller.teacher_groups['teacher']['logits'].get()
    assert torch.equal(restored, stored.transpose(-2, -1))

    # distiller + loss + recorder in training: L1 between 2 x student and teacher logits
    model = registry.MODELS.build(kd_model_cfg(distiller=cfg.distiller))
    assert type(model.distiller).__name__ == 'PluginDistiller'
    logits = {}
    for who, net in (('student', model.student), ('teacher', model.teachers['teacher'])):
        net.decode_head.conv_seg.register_forward_hook(
            lambda m, a, out, who=who: logits.__setitem__(who, out.detach()))
    loss = model(**model.data_preprocessor(plain, True), mode='loss')['distill.loss_l1']
    expected = (2.0 * logits['student'] - logits['teacher']).abs().mean()
    assert torch.allclose(loss, expected, rtol=1e-6) and loss > 0
    assert loss.requires_grad and np.isfinite(loss.item())
