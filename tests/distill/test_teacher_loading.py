"""Teacher checkpoints: strict keys, no random teacher, sha256, config files."""
import hashlib

import pytest
import torch
from distill_testkit import kd_model_cfg, tiny_segmentor, use_scope

from mmkd_rs.distill.teacher import TeacherCheckpointError
from mmkd_rs.engine.strict_loading import CheckpointMismatchError
from mmkd_rs.registry import MODELS

use_scope()


@pytest.fixture(scope='module')
def teacher_state():
    torch.manual_seed(1)
    return MODELS.build(tiny_segmentor(16)).state_dict()


def save(path, obj):
    torch.save(obj, path)
    return str(path)


def build(ckpt, **kw):
    return MODELS.build(kd_model_cfg(teacher_ckpt=ckpt, allow_random_teacher=False, **kw))


def test_loads_state_dict_checkpoint_and_logs_sha256(tmp_path, teacher_state):
    ckpt = save(tmp_path / 't.pth', dict(meta=dict(), state_dict=teacher_state))
    model = build(ckpt)
    for key, value in teacher_state.items():
        assert torch.equal(model.teachers['teacher'].state_dict()[key], value)
    with open(ckpt, 'rb') as f:
        assert model.teacher_sha256 == {'teacher': hashlib.sha256(f.read()).hexdigest()}


def test_plain_dict_with_module_prefix_and_config_file(tmp_path, teacher_state):
    ckpt = save(tmp_path / 'plain.pth', {'module.' + k: v for k, v in teacher_state.items()})
    cfg_file = tmp_path / 'teacher_cfg.py'
    cfg_file.write_text(f'model = {tiny_segmentor(16)!r}\n')
    model = build(ckpt, teacher=str(cfg_file))
    w = 'decode_head.conv_seg.weight'
    assert torch.equal(model.teachers['teacher'].state_dict()[w], teacher_state[w])


def test_missing_and_unexpected_keys_are_listed(tmp_path, teacher_state):
    state = dict(teacher_state)
    del state['decode_head.conv_seg.bias']
    state['decode_head.extra.weight'] = torch.zeros(1)
    ckpt = save(tmp_path / 'bad.pth', dict(state_dict=state))
    with pytest.raises(CheckpointMismatchError) as err:
        build(ckpt)
    text = str(err.value)
    assert f"teacher 'teacher' checkpoint '{ckpt}' does not match the teacher model" in text
    assert 'model tensors missing from it: 1 (e.g. decode_head.conv_seg.bias)' in text
    assert 'tensors of it not in the model: 1 (e.g. decode_head.extra.weight)' in text


def test_no_checkpoint_or_missing_file_refuses_random_teacher(tmp_path):
    with pytest.raises(TeacherCheckpointError, match='never proceeds with a randomly'):
        build(None)
    with pytest.raises(TeacherCheckpointError, match='does not exist'):
        build(str(tmp_path / 'missing.pth'))


def test_wrong_architecture_and_kd_checkpoint_are_refused(tmp_path, teacher_state):
    ckpt = save(tmp_path / 't.pth', dict(state_dict=teacher_state))
    with pytest.raises(CheckpointMismatchError, match=r'tensors of another shape: 111 \(e.g. '
                       r'backbone.stem.0.weight: checkpoint \[8, 3, 3, 3\] vs model \[4, 3'):
        build(ckpt, teacher=tiny_segmentor(8))
    kd = save(tmp_path / 'kd.pth', {'student.' + k: v for k, v in teacher_state.items()})
    with pytest.raises(CheckpointMismatchError, match='extract_student'):
        build(kd)


def test_teacher_not_reinitialised_by_init_weights(tmp_path, teacher_state):
    ckpt = save(tmp_path / 't.pth', dict(state_dict=teacher_state))
    model = build(ckpt)
    model.init_weights()
    w = 'backbone.stem.0.weight'
    assert torch.equal(model.teachers['teacher'].state_dict()[w], teacher_state[w])
