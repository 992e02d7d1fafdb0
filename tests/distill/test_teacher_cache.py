"""Teacher-output cache: refusal of non-replayable pipelines, exact and replay modes."""
import pytest
import torch
import torch.nn.functional as F
from distill_testkit import batch, kd_model_cfg, use_scope

from mmkd_rs.distill.teacher_cache import (TeacherCacheRefused, _merge, _split,
                                           check_pipeline, replay)
from mmkd_rs.registry import MODELS

use_scope()
FLIP_PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                 dict(type='RandomFlip', prob=0.5), dict(type='PackSegInputs')]


def test_pipeline_with_photometric_or_unknown_transforms_is_refused():
    levir_like = [dict(type='LoadBiTemporalImages'), dict(type='BiTemporalRandomCrop'),
                  dict(type='BiTemporalRandomFlip'), dict(type='BiTemporalPhotoMetricDistortion'),
                  dict(type='BiTemporalSwap'), dict(type='MyJitter'),
                  dict(type='PackBiTemporalInputs')]
    with pytest.raises(TeacherCacheRefused) as err:
        check_pipeline(levir_like)
    text = str(err.value)
    assert 'pipeline[3] BiTemporalPhotoMetricDistortion' in text
    assert 'pipeline[4] BiTemporalSwap' in text and 'pipeline[5] MyJitter' in text
    assert 'BiTemporalRandomCrop' not in text
    assert check_pipeline(FLIP_PIPELINE) == [('RandomFlip', ('flip', 'flip_direction'))]
    with pytest.raises(TeacherCacheRefused):
        MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=levir_like)))


def test_replay_matches_teacher_on_augmented_input():
    # an exactly equivariant "teacher": 2x2 max pooling (output stride 2)
    x = torch.randn(1, 3, 8, 12)
    teacher = lambda t: F.max_pool2d(t, 2)  # noqa: E731
    augmented = x[..., 2:6, 4:12]                        # crop_bbox (y1, y2, x1, x2)
    augmented = torch.flip(augmented, (-1,))             # horizontal flip
    augmented = torch.rot90(augmented, 1, dims=(-2, -1))
    ops = (('crop', (2, 6, 4, 12)), ('flip', 'horizontal'), ('rot90', 1))
    assert torch.equal(replay(teacher(x), ops, (8, 12)), teacher(augmented))
    # a crop off the output grid cannot be replayed exactly
    assert replay(teacher(x), (('crop', (1, 5, 4, 12)),), (8, 12)) is None


def test_split_and_merge_keep_stacked_dates_layout():
    b = 3
    value = (torch.arange(2 * b * 2.).view(2 * b, 2), torch.arange(b * 1.).view(b, 1))
    pieces = _split(value, b)
    assert torch.equal(pieces[1][0], value[0][[1, 4]])   # sample 1: date A row 1, date B row 4
    merged = _merge(pieces, torch.device('cpu'))
    assert all(torch.equal(m, v) for m, v in zip(merged, value))


def with_meta(data, flips, offset=0):
    for i, (sample, flip) in enumerate(zip(data['data_samples'], flips)):
        sample.set_metainfo(dict(sample_idx=i + offset, flip=flip,
                                 flip_direction='horizontal'))
    return data


def count_teacher_calls(model):
    calls = []
    model.teachers['teacher'].backbone.register_forward_hook(lambda *a: calls.append(1))
    return calls


def test_exact_mode_hits_give_identical_losses_without_teacher_forward():
    torch.manual_seed(0)
    cached = MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=FLIP_PIPELINE)))
    plain = MODELS.build(kd_model_cfg())
    plain.load_state_dict(cached.state_dict())
    plain.teachers.load_state_dict(cached.teachers.state_dict())
    calls = count_teacher_calls(cached)
    data = cached.data_preprocessor(with_meta(batch(), [False, True]), True)
    first = cached(**data, mode='loss')
    second = cached(**data, mode='loss')
    reference = plain(**data, mode='loss')
    assert len(calls) == 1 and cached.teacher_cache.hits == 1
    assert torch.equal(second['distill.loss_kd'], first['distill.loss_kd'])
    assert torch.equal(second['distill.loss_kd'], reference['distill.loss_kd'])
    # another flip of sample 0 is another key: the teacher runs again
    other = cached.data_preprocessor(with_meta(batch(), [True, True]), True)
    cached(**other, mode='loss')
    assert len(calls) == 2


def test_replay_mode_reuses_unaugmented_outputs_for_flipped_samples():
    model = MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=FLIP_PIPELINE,
                                                         mode='replay')))
    calls = count_teacher_calls(model)
    raw = with_meta(batch(), [False, False])
    data = model.data_preprocessor(raw, True)
    model.run_teachers(data['inputs'], data['data_samples'])     # fill, identity geometry
    t_plain = model.distiller.teacher_groups['teacher']['logits'].get().clone()
    flipped = model.data_preprocessor(with_meta(batch(), [True, False]), True)
    flipped['inputs'][0] = torch.flip(flipped['inputs'][0], (-1,))
    model(**flipped, mode='loss')
    assert len(calls) == 1 and model.teacher_cache.hits == 1
    restored = model.distiller.teacher_groups['teacher']['logits'].get()
    assert torch.equal(restored[0], torch.flip(t_plain[0], (-1,)))
    assert torch.equal(restored[1], t_plain[1])
