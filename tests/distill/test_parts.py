"""Distillation and plain checkpoints load through one path (mmkd_rs.distill.parts)."""
import pytest
import torch
from distill_testkit import kd_model_cfg, tiny_segmentor, use_scope

from mmkd_rs.distill.extract import extract_student
from mmkd_rs.distill.parts import is_distill_model_cfg, load_part, teacher_cfgs
from mmkd_rs.engine.strict_loading import CheckpointMismatchError
from mmkd_rs.registry import MODELS

use_scope()


@pytest.fixture(scope='module')
def kd_state():
    torch.manual_seed(3)
    return MODELS.build(kd_model_cfg(save_teacher_weights=True)).state_dict()


def _part(state, prefix):
    return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}


def _equal(model, state):
    mine = model.state_dict()
    return sorted(mine) == sorted(state) and all(torch.equal(mine[k], state[k]) for k in state)


def test_student_and_teacher_of_a_distillation_checkpoint(tmp_path, kd_state):
    # as a DDP run would save it: every key under 'module.'
    torch.save(dict(state_dict={'module.' + k: v for k, v in kd_state.items()}),
               tmp_path / 'kd.pth')
    student = MODELS.build(tiny_segmentor(8))
    load_part(student, str(tmp_path / 'kd.pth'))
    assert _equal(student, _part(kd_state, 'student.'))
    teacher = MODELS.build(tiny_segmentor(16))
    load_part(teacher, str(tmp_path / 'kd.pth'), 'teacher')
    assert _equal(teacher, _part(kd_state, 'teachers.teacher.'))
    # the extracted student is a plain checkpoint that loads whole through the same path
    info = extract_student(str(tmp_path / 'kd.pth'), str(tmp_path / 'student.pth'))
    assert info['dropped_keys'] == len(kd_state) - len(_part(kd_state, 'student.')) > 0
    again = MODELS.build(tiny_segmentor(8))
    load_part(again, str(tmp_path / 'student.pth'))
    assert _equal(again, _part(kd_state, 'student.'))


def test_mismatches_are_named_in_one_paragraph(tmp_path, kd_state):
    state = dict(kd_state)
    del state['student.decode_head.conv_seg.bias']
    state['student.decode_head.extra.weight'] = torch.zeros(1)
    torch.save(dict(state_dict=state), tmp_path / 'kd.pth')
    with pytest.raises(CheckpointMismatchError) as err:
        load_part(MODELS.build(tiny_segmentor(8)), str(tmp_path / 'kd.pth'))
    text = str(err.value)
    assert '\n' not in text
    assert 'model tensors missing from it: 1 (e.g. decode_head.conv_seg.bias)' in text
    assert 'tensors of it not in the model: 1 (e.g. decode_head.extra.weight)' in text
    # without teacher weights (save_teacher_weights=False) a teacher cannot come from it
    no_teacher = {k: v for k, v in kd_state.items() if not k.startswith('teachers.')}
    torch.save(dict(state_dict=no_teacher), tmp_path / 'student_only.pth')
    with pytest.raises(CheckpointMismatchError, match='holds no tensors under "teachers.teacher."'):
        load_part(MODELS.build(tiny_segmentor(16)), str(tmp_path / 'student_only.pth'),
                  'teacher')


def test_configs_are_read_by_the_algorithm_and_old_helpers_are_gone():
    cfg = kd_model_cfg(teacher=None, teachers=dict(a=dict(cfg=tiny_segmentor(16)),
                                                   b=dict(cfg=tiny_segmentor(4), weight=2.0)))
    assert is_distill_model_cfg(cfg) and not is_distill_model_cfg(tiny_segmentor(8))
    assert [c['backbone']['base_channels'] for c in teacher_cfgs(cfg).values()] == [16, 4]
    import mmkd_rs.apis.model as deploy
    import mmkd_rs.benchmark.model_parts as model_parts
    import mmkd_rs.distill.teacher as teacher
    for module, name in ((model_parts, 'load_part_weights'), (teacher, 'extract_state_dict'),
                         (teacher, 'load_state_strictly'), (deploy, 'STUDENT_PREFIX')):
        assert not hasattr(module, name), (module.__name__, name)


class _RunsCode:
    def __reduce__(self):
        return (print, ('this must never run', ))


def test_a_checkpoint_that_would_run_code_is_refused(tmp_path, capsys):
    from mmkd_rs.utils.checkpoint_safety import UnsafeCheckpointError
    torch.save({'state_dict': {}, 'meta': {'x': _RunsCode()}}, tmp_path / 'evil.pth')
    with pytest.raises(UnsafeCheckpointError, match='evil.pth'):
        load_part(MODELS.build(tiny_segmentor(8)), str(tmp_path / 'evil.pth'))
    assert 'this must never run' not in capsys.readouterr().out
