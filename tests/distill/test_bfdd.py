"""Tests of the bi-temporal feature distance distillation (BFDD) loss."""
import argparse
import itertools
import math
import os
import re

import pytest
import torch
from mmengine.config import Config, DictAction
from mmengine.logging import MessageHub

from mmkd_rs.distill.losses.bfdd import (BiTemporalFeatureDistanceLoss, bitemporal_distance,
                                         normalize_map)


def _feats(channels, sizes, batch=2, seed=0, requires_grad=False):
    gen = torch.Generator().manual_seed(seed)
    return tuple(
        torch.randn(2 * batch, c, s, s, generator=gen).requires_grad_(requires_grad)
        for c, s in zip(channels, sizes))


def _swap_dates(feats):
    return tuple(torch.cat([f[f.shape[0] // 2:], f[:f.shape[0] // 2]]) for f in feats)


STUDENT = dict(channels=(4, 8, 16), sizes=(16, 8, 4))
TEACHER = dict(channels=(8, 16, 32, 64), sizes=(16, 8, 4, 2))


@pytest.mark.parametrize('cfg', [
    dict(),
    dict(mode='all'),
    dict(distance='cosine', map_norm='mean'),
    dict(normalize_features=True, map_norm='none'),
    dict(map_norm='softmax', match='kl', temperature=0.5),
])
def test_identical_features_give_zero_loss(cfg):
    feats = _feats(**TEACHER)
    loss = BiTemporalFeatureDistanceLoss(pairs=[(0, 0), (2, 2), (3, 3)], seed=0, **cfg)
    for _ in range(3):
        assert loss(feats, feats).item() == pytest.approx(0.0, abs=1e-6)


def test_identical_dates_have_finite_gradient():
    """A zero distance (unchanged pixel) must not produce NaN gradients."""
    feat = torch.ones(2, 3, 4, 4)
    student = torch.ones(2, 3, 4, 4, requires_grad=True)
    BiTemporalFeatureDistanceLoss(map_norm='none')(student, feat * torch.tensor(
        [1.0, 2.0])[:, None, None, None]).backward()
    assert torch.isfinite(student.grad).all()


def test_hand_computed_l2_max_mse():
    # Student: date A pixels (3, 4) and (0, 0); date B zeros -> D_s = [5, 0] -> [1, 0].
    f_s = torch.zeros(2, 2, 1, 2)
    f_s[0, :, 0, 0] = torch.tensor([3.0, 4.0])
    # Teacher: one 1x1 pixel with distance 2, resized bilinearly to 1x2 -> [2, 2] -> [1, 1].
    f_t = torch.zeros(2, 1, 1, 1)
    f_t[0, 0] = 2.0
    loss = BiTemporalFeatureDistanceLoss(eps=0.0, loss_weight=3.0)
    assert loss(f_s, f_t).item() == pytest.approx(3.0 * 0.5, abs=1e-6)


def test_hand_computed_kl_on_spatial_softmax():
    f_s = torch.zeros(2, 2, 1, 2)
    f_s[0, :, 0, 0] = torch.tensor([3.0, 4.0])  # D_s = [5, 0]
    f_t = torch.full((2, 1, 1, 2), 0.0)
    f_t[0] = 2.0  # D_t = [2, 2]
    t = 2.0
    loss = BiTemporalFeatureDistanceLoss(map_norm='softmax', match='kl', temperature=t)
    p_s = torch.softmax(torch.tensor([5.0, 0.0]) / t, 0)
    expected = sum(0.5 * math.log(0.5 / p) for p in p_s.tolist()) * t**2
    assert loss(f_s, f_t).item() == pytest.approx(expected, rel=1e-5)


def test_hand_computed_cosine_distance():
    feat = torch.zeros(2, 2, 1, 3)
    feat[0, :, 0, 0] = torch.tensor([1.0, 0.0])  # vs (0, 1): orthogonal -> 1
    feat[1, :, 0, 0] = torch.tensor([0.0, 1.0])
    feat[0, :, 0, 1] = torch.tensor([1.0, 1.0])  # vs (-1, -1): opposite -> 2
    feat[1, :, 0, 1] = torch.tensor([-1.0, -1.0])
    feat[0, :, 0, 2] = torch.tensor([2.0, 0.0])  # vs (5, 0): same direction -> 0
    feat[1, :, 0, 2] = torch.tensor([5.0, 0.0])
    dist = bitemporal_distance(feat, 'cosine')
    assert torch.allclose(dist, torch.tensor([[[1.0, 2.0, 0.0]]]), atol=1e-6)


def test_normalize_map_values():
    dist = torch.tensor([[[1.0, 3.0], [2.0, 2.0]]])
    assert torch.allclose(normalize_map(dist, 'max', 1.0, 0.0), dist / 3)
    assert torch.allclose(normalize_map(dist, 'mean', 1.0, 0.0), dist / 2)
    soft = normalize_map(dist, 'softmax', 0.5, 0.0)
    assert torch.allclose(soft.flatten(), torch.softmax(dist.flatten() / 0.5, 0))


@pytest.mark.parametrize('cfg', [dict(), dict(distance='cosine'), dict(mode='all')])
def test_invariant_to_swapping_dates(cfg):
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    a = BiTemporalFeatureDistanceLoss(seed=5, **cfg)
    b = BiTemporalFeatureDistanceLoss(seed=5, **cfg)
    for _ in range(4):
        assert a(s, t).item() == pytest.approx(b(_swap_dates(s), _swap_dates(t)).item(),
                                               rel=1e-5)


def test_invariant_to_channel_permutation():
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    perm_s = tuple(f[:, torch.randperm(f.shape[1])] for f in s)
    perm_t = tuple(f[:, torch.randperm(f.shape[1])] for f in t)
    loss = BiTemporalFeatureDistanceLoss(mode='all')
    assert loss(s, t).item() == pytest.approx(loss(perm_s, perm_t).item(), rel=1e-5)


@pytest.mark.parametrize('cfg', [dict(map_norm='max'), dict(map_norm='mean'),
                                 dict(distance='cosine', map_norm='none'),
                                 dict(normalize_features=True, map_norm='softmax', match='kl')])
def test_invariant_to_feature_scale_when_normalised(cfg):
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    loss = BiTemporalFeatureDistanceLoss(mode='all', eps=1e-12, **cfg)
    scaled_s = tuple(7.0 * f for f in s)
    scaled_t = tuple(0.1 * f for f in t)
    assert loss(s, t).item() == pytest.approx(loss(scaled_s, scaled_t).item(), rel=1e-4)
    # Without normalisation the loss does change with scale.
    raw = BiTemporalFeatureDistanceLoss(mode='all', map_norm='none')
    assert raw(s, t).item() != pytest.approx(raw(scaled_s, scaled_t).item(), rel=1e-2)


def test_gradient_reaches_student_not_teacher():
    s = _feats(**STUDENT, seed=1, requires_grad=True)
    t = _feats(**TEACHER, seed=2, requires_grad=True)
    BiTemporalFeatureDistanceLoss(mode='all').forward(s, t).backward()
    assert all(f.grad is not None and f.grad.abs().sum() > 0 for f in s)
    assert all(f.grad is None for f in t)


def test_random_selection_reproducible_and_covers_all_pairs():
    s, t = _feats(**STUDENT), _feats(**TEACHER)

    def sequence(seed):
        loss = BiTemporalFeatureDistanceLoss(seed=seed)
        out = []
        for _ in range(120):
            loss(s, t)
            out.append(loss.last_pair)
        return out

    first, again, other = sequence(3), sequence(3), sequence(4)
    assert first == again
    assert first != other
    assert set(first) == set(itertools.product(range(3), range(4)))


def test_stage_lists_and_explicit_pairs_restrict_selection():
    s, t = _feats(**STUDENT), _feats(**TEACHER)
    loss = BiTemporalFeatureDistanceLoss(student_stages=[-1], teacher_stages=[2, 3], seed=0)
    seen = set()
    for _ in range(30):
        loss(s, t)
        seen.add(loss.last_pair)
    assert seen == {(2, 2), (2, 3)}
    pairs = BiTemporalFeatureDistanceLoss(pairs=[(0, 1)], seed=0)
    pairs(s, t)
    assert pairs.last_pair == (0, 1)


def test_mode_all_is_the_mean_of_single_pairs():
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    pair_list = [(0, 0), (1, 3), (2, 1)]
    both = BiTemporalFeatureDistanceLoss(mode='all', pairs=pair_list)(s, t)
    singles = [BiTemporalFeatureDistanceLoss(pairs=[p])(s, t) for p in pair_list]
    assert both.item() == pytest.approx(sum(x.item() for x in singles) / 3, rel=1e-5)


def test_resize_to_teacher_and_fixed_size_differ_from_student_grid():
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    values = {
        key: BiTemporalFeatureDistanceLoss(pairs=[(0, 2)], resize_to=key)(s, t).item()
        for key in ('student', 'teacher')
    }
    fixed = BiTemporalFeatureDistanceLoss(pairs=[(0, 2)], resize_to=(4, 4))(s, t).item()
    assert fixed == pytest.approx(values['teacher'], rel=1e-6)  # teacher stage 2 is 4x4
    assert values['student'] != pytest.approx(values['teacher'], rel=1e-3)


def test_log_pair_writes_message_hub():
    MessageHub.get_instance('bfdd_test')  # the newest instance becomes current
    loss = BiTemporalFeatureDistanceLoss(pairs=[(1, 2)], log_pair=True)
    loss(_feats(**STUDENT), _feats(**TEACHER))
    current = MessageHub.get_current_instance()
    assert current.get_scalar('train/bfdd_student_stage').current() == 1
    assert current.get_scalar('train/bfdd_teacher_stage').current() == 2


def test_clear_errors():
    with pytest.raises(ValueError, match='map_norm'):
        BiTemporalFeatureDistanceLoss(match='kl', map_norm='max')
    with pytest.raises(ValueError, match='distance'):
        BiTemporalFeatureDistanceLoss(distance='l1')
    loss = BiTemporalFeatureDistanceLoss()
    with pytest.raises(ValueError, match='odd'):
        loss(torch.zeros(3, 2, 4, 4), torch.zeros(3, 2, 4, 4))
    with pytest.raises(ValueError, match=r'preds_T\[0\]'):
        loss(torch.zeros(2, 2, 4, 4), (torch.zeros(2, 4, 4), ))
    with pytest.raises(IndexError, match='teacher stage 5'):
        BiTemporalFeatureDistanceLoss(pairs=[(0, 5)])(_feats(**STUDENT), _feats(**TEACHER))


def test_random_positions_subsample_the_compared_pixels():
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    full = BiTemporalFeatureDistanceLoss(pairs=[(0, 0)])(s, t).item()
    every = BiTemporalFeatureDistanceLoss(pairs=[(0, 0)], num_positions=16 * 16)(s, t).item()
    assert every == pytest.approx(full, rel=1e-6)  # all 256 positions of the 16x16 grid
    few = [BiTemporalFeatureDistanceLoss(pairs=[(0, 0)], num_positions=10, seed=4)(s, t).item()
           for _ in range(2)]
    assert few[0] == few[1] and few[0] != pytest.approx(full, rel=1e-3)
    assert BiTemporalFeatureDistanceLoss(num_positions=10, seed=0)(s, s).item() == 0.0
    with pytest.raises(ValueError, match='num_positions'):
        BiTemporalFeatureDistanceLoss(num_positions=10, match='kl', map_norm='softmax')


def test_half_precision_features_do_not_overflow():
    """fp16 features ~300: distances ~5e3, squared map differences ~2e7 > 65504."""
    s, t = _feats(**STUDENT, seed=1), _feats(**TEACHER, seed=2)
    s16, t16 = tuple((300 * f).half() for f in s), tuple((300 * f).half() for f in t)
    loss = BiTemporalFeatureDistanceLoss(mode='all', map_norm='none')
    reference = loss(tuple(f.float() for f in s16), tuple(f.float() for f in t16))
    assert reference.item() > 65504
    out = loss(s16, t16)
    assert out.dtype == torch.float32
    assert out.item() == pytest.approx(reference.item(), rel=1e-6)


@pytest.mark.parametrize('cfg', [dict(), dict(map_norm='softmax', match='kl')])
def test_bfloat16_autocast_computes_in_float32(cfg):
    """Under CPU autocast the features are bf16; the maps must not be rounded to bf16."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(4, 8, 16, 16, generator=gen)
    conv_s, conv_t = torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.Conv2d(8, 32, 3, padding=1)
    loss = BiTemporalFeatureDistanceLoss(**cfg)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        f_s, f_t = conv_s(x), conv_t(x)
        out = loss(f_s, f_t)
    assert f_s.dtype == torch.bfloat16 and out.dtype == torch.float32
    # same bf16 features, float32 maps: equal up to float32 rounding (bf16 maps: ~3e-3 off)
    assert out.item() == pytest.approx(loss(f_s.float(), f_t.float()).item(), rel=1e-5)


def test_default_stage_pairs_are_the_ones_the_frd_readme_states():
    """16 pairs, 12 across depths; the README's same-depth option gives the 4 diagonal ones."""
    frd = os.path.join(os.path.dirname(__file__), '..', '..', 'configs', 'frd')
    cfg = Config.fromfile(
        os.path.join(frd, 'bfdd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py'))

    def pairs_of(config):
        kwargs = dict(config.model.distiller.distill_losses.loss_bfdd)
        kwargs.pop('type')
        return BiTemporalFeatureDistanceLoss(**kwargs).candidate_pairs(4, 4)

    default = pairs_of(cfg)
    assert len(default) == 16 and sum(s != t for s, t in default) == 12
    readme = open(os.path.join(frd, 'README.md')).read()
    option = re.search(r'--cfg-options "(model\.distiller\S+\.loss_bfdd\.pairs=[^"]+)"',
                       readme).group(1)
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg.merge_from_dict(parser.parse_args(['--cfg-options', option]).cfg_options)
    assert pairs_of(cfg) == [(0, 0), (1, 1), (2, 2), (3, 3)]
