"""Connectors' shapes and gradients; checkpoint hook meta and teacher-change warning."""
from types import SimpleNamespace
from unittest import mock

import pytest
import torch
from distill_testkit import kd_model_cfg, use_scope

from mmkd_rs.distill.hooks import DistillCheckpointHook
from mmkd_rs.registry import MODELS

use_scope()


@pytest.mark.parametrize('cfg,shape', [
    (dict(type='ConvBNConnector', in_channels=4, out_channels=6), (2, 6, 5, 5)),
    (dict(type='ConvBNReLUConnector', in_channels=4, out_channels=6), (2, 6, 5, 5)),
    (dict(type='ResizeConnector', size=(10, 8)), (2, 4, 10, 8)),
    (dict(type='ResizeConnector', scale_factor=2.0), (2, 4, 10, 10)),
])
def test_connector_shapes_and_gradients(cfg, shape):
    connector = MODELS.build(cfg)
    x = torch.randn(2, 4, 5, 5, requires_grad=True)
    out = connector(x)
    assert out.shape == shape
    out.sum().backward()
    assert x.grad is not None
    if cfg['type'] == 'ConvBNReLUConnector':
        assert (out >= 0).all()


def test_resize_connector_needs_exactly_one_size():
    with pytest.raises(ValueError, match='exactly one'):
        MODELS.build(dict(type='ResizeConnector'))


def test_checkpoint_hook_writes_meta_and_warns_on_other_teacher():
    model = MODELS.build(kd_model_cfg())
    model.teacher_sha256 = {'teacher': 'abc'}
    runner = SimpleNamespace(model=model, logger=mock.Mock())
    hook = DistillCheckpointHook()
    checkpoint = dict(meta=dict(iter=3))
    hook.before_save_checkpoint(runner, checkpoint)
    assert checkpoint['meta'] == dict(iter=3, teacher_sha256={'teacher': 'abc'},
                                      teacher_checkpoints={'teacher': None},
                                      teacher_weights_saved=False)
    hook.after_load_checkpoint(runner, checkpoint)
    runner.logger.warning.assert_not_called()
    model.teacher_sha256 = {'teacher': 'def'}
    hook.after_load_checkpoint(runner, checkpoint)
    assert 'different teachers' in runner.logger.warning.call_args[0][0]
    with pytest.raises(TypeError, match='TeacherStudentDistill'):
        hook.before_save_checkpoint(SimpleNamespace(model=torch.nn.Linear(1, 1)), {})
