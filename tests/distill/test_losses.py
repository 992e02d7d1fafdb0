"""Distill losses against values computed by hand on tiny tensors."""
import math

import numpy as np
import pytest
import torch

from mmkd_rs.distill.losses import (ATLoss, ChannelWiseDivergence, DISTLoss, FitNetLoss,
                                    KDLoss, MGDLoss, PairwiseAffinityLoss)

LN3 = math.log(3.0)
# KL([.75, .25] || [.5, .5]) = .75 ln 1.5 + .25 ln .5
KL_75_50 = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)


def logits(*pixels):
    """``[1, C, 1, P]`` from per-pixel class logits."""
    return torch.tensor(pixels, dtype=torch.float32).t()[None, :, None, :]


def test_kd_hand_value_and_temperature_scaling():
    s, t = logits([0.0, 0.0]), logits([LN3, 0.0])
    assert KDLoss(temperature=1.0)(s, t).item() == pytest.approx(KL_75_50, rel=1e-5)
    # logits scaled by T give the same distributions; T^2 scales the loss.
    t2 = logits([2 * LN3, 0.0])
    assert KDLoss(temperature=2.0)(s, t2).item() == pytest.approx(4 * KL_75_50, rel=1e-5)
    assert KDLoss(loss_weight=3.0)(s, t).item() == pytest.approx(3 * KL_75_50, rel=1e-5)


def test_kd_ignores_pixels_with_ignore_label():
    s = logits([0.0, 0.0], [0.0, 0.0])
    t = logits([LN3, 0.0], [10.0, -10.0])
    gt = torch.tensor([[[0, 255]]])
    assert KDLoss()(s, t, gt_seg=gt).item() == pytest.approx(KL_75_50, rel=1e-5)
    # without the mask the second (very different) pixel counts
    assert KDLoss()(s, t).item() > 2 * KL_75_50
    # all ignored: zero, but still a graph
    s.requires_grad_(True)
    out = KDLoss()(s, t, gt_seg=torch.full((1, 1, 2), 255))
    assert out.item() == 0.0 and out.requires_grad


def test_kd_resizes_teacher_to_student():
    s = torch.zeros(1, 2, 4, 4)
    t = torch.zeros(1, 2, 2, 2)
    t[:, 0] = LN3
    assert KDLoss()(s, t).item() == pytest.approx(KL_75_50, rel=1e-5)


def test_cwd_hand_value():
    # channel 0: spatial [0, 0] vs [ln3, 0] -> KL_75_50; channel 1 identical -> 0.
    s = torch.tensor([[0.0, 0.0], [1.0, 2.0]])[None, :, None, :]
    t = torch.tensor([[LN3, 0.0], [1.0, 2.0]])[None, :, None, :]
    assert ChannelWiseDivergence(tau=1.0)(s, t).item() == pytest.approx(KL_75_50 / 2, rel=1e-5)
    # tau=2 with doubled logits: same distributions, times tau^2
    assert ChannelWiseDivergence(tau=2.0)(2 * s, 2 * t).item() == pytest.approx(
        2 * KL_75_50, rel=1e-5)
    with pytest.raises(ValueError, match='ConvBNConnector'):
        ChannelWiseDivergence()(torch.zeros(1, 3, 2, 2), torch.zeros(1, 2, 2, 2))


def test_fitnet_hand_value():
    assert FitNetLoss()(torch.zeros(2, 3, 4, 4), torch.full((2, 3, 4, 4), 2.0)).item() == 4.0
    with pytest.raises(ValueError, match='connector'):
        FitNetLoss()(torch.zeros(1, 3, 2, 2), torch.zeros(1, 4, 2, 2))


def test_at_hand_value():
    # mean over images and the 2 positions, as the official (at(x) - at(y)).pow(2).mean()
    s = torch.tensor([[[[1.0, 0.0]]]])                 # Q_S = [1, 0]
    t = torch.tensor([[[[0.0, 1.0]]]])                 # Q_T = [0, 1]
    assert ATLoss()(s, t).item() == pytest.approx(1.0)
    t2 = torch.tensor([[[[3.0, 0.0]], [[4.0, 0.0]]]])  # mean_c x^2 = [12.5, 0] -> [1, 0]
    assert ATLoss()(s, t2).item() == pytest.approx(0.0, abs=1e-7)
    # position 0 of s: 1, position 1: 1  -> Q = [1, 1]/sqrt2 ; vs [1, 0]: (2 - sqrt2) / 2
    s3 = torch.tensor([[[[1.0, -1.0]]]])
    assert ATLoss()(s3, t2).item() == pytest.approx((2 - math.sqrt(2)) / 2, rel=1e-5)


def test_at_scale_is_the_official_mean_over_images_and_positions():
    # image 0: Q_S = e_0, Q_T = e_3 on a 2x2 map (squared distance 2); image 1: equal maps
    s = torch.zeros(2, 1, 2, 2)
    t = torch.zeros(2, 3, 2, 2)
    s[0, 0, 0, 0], t[0, 1, 1, 1] = 1.0, 2.0
    s[1, 0] = torch.tensor([[1.0, 2.0], [0.0, 1.0]])
    t[1, :] = s[1, 0]
    assert ATLoss()(s, t).item() == pytest.approx(2 / 8)           # 2 images x 4 positions
    assert ATLoss(reduction='sum')(s, t).item() == pytest.approx(1.0)  # the H x W = 4 times
    assert ATLoss(loss_weight=500.0)(s, t).item() == pytest.approx(125.0)
    with pytest.raises(ValueError, match='reduction'):
        ATLoss(reduction='none')


def test_at_half_precision_features_do_not_overflow():
    gen = torch.Generator().manual_seed(0)
    s = (300 * torch.randn(2, 4, 3, 3, generator=gen)).half()   # |x|^2 ~ 9e4 > 65504
    t = (300 * torch.randn(2, 8, 3, 3, generator=gen)).half()
    out = ATLoss()(s, t)
    assert out.dtype == torch.float32
    assert out.item() == pytest.approx(ATLoss()(s.float(), t.float()).item(), rel=1e-6)


def test_affinity_hand_value_and_pooling():
    s = torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]]])[None]    # positions orthogonal: A = I
    t = torch.tensor([[[1.0, 1.0]], [[0.0, 0.0]], [[0.0, 0.0]]])[None]  # parallel: A = 1
    assert PairwiseAffinityLoss()(s, t).item() == pytest.approx(0.5)
    assert PairwiseAffinityLoss(pool_size=1)(s, t).item() == pytest.approx(0.0)
    with pytest.raises(ValueError, match='pool_size'):
        PairwiseAffinityLoss()(torch.ones(1, 2, 2, 2), torch.ones(1, 2, 4, 4))


def test_dist_hand_values():
    p75, p25 = [LN3, 0.0], [0.0, LN3]
    # every pixel and every class perfectly anti-correlated -> inter = intra = 2
    assert DISTLoss()(logits(p75, p25), logits(p25, p75)).item() == pytest.approx(4.0, rel=1e-5)
    # same ordering everywhere -> correlation 1 -> 0
    p80, p20 = [math.log(4.0), 0.0], [0.0, math.log(4.0)]
    assert DISTLoss()(logits(p75, p25), logits(p80, p20)).item() == pytest.approx(0, abs=1e-6)


def test_dist_matches_numpy_pearson():
    g = torch.Generator().manual_seed(0)
    s, t = torch.randn(1, 3, 2, 2, generator=g), torch.randn(1, 3, 2, 2, generator=g)
    ys = torch.softmax(s, 1).permute(0, 2, 3, 1).reshape(-1, 3).numpy()
    yt = torch.softmax(t, 1).permute(0, 2, 3, 1).reshape(-1, 3).numpy()
    inter = 1 - np.mean([np.corrcoef(ys[i], yt[i])[0, 1] for i in range(4)])
    intra = 1 - np.mean([np.corrcoef(ys[:, c], yt[:, c])[0, 1] for c in range(3)])
    loss = DISTLoss(beta=2.0, gamma=0.5)(s, t).item()
    assert loss == pytest.approx(2 * inter + 0.5 * intra, rel=1e-4)


def test_mgd_hand_value_and_generator_gradients():
    loss = MGDLoss(4, 4, alpha_mgd=1.0, lambda_mgd=0.0)
    for conv in (loss.generation[0], loss.generation[2]):
        torch.nn.init.zeros_(conv.weight)
        torch.nn.init.zeros_(conv.bias)
    # generator outputs 0 -> alpha * sum(T^2) / N = 32 / 2
    value = loss(torch.randn(2, 4, 2, 2), torch.ones(2, 4, 2, 2))
    assert value.item() == pytest.approx(16.0)
    mgd = MGDLoss(3, 4, lambda_mgd=0.5)
    assert isinstance(mgd.align, torch.nn.Conv2d)
    mgd(torch.randn(2, 3, 4, 4, requires_grad=True), torch.randn(2, 4, 4, 4)).backward()
    assert all(p.grad is not None for p in mgd.parameters())
    torch.manual_seed(0)
    mask = mgd.random_mask(4, 32, 32, torch.zeros(1))
    assert 0.45 < mask.mean().item() < 0.55
