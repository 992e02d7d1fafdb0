"""DKDLoss (per pixel) against target / non-target divergences computed by hand."""
import math

import pytest
import torch

from mmkd_rs.distill.losses import DKDLoss, KDLoss

LN3 = math.log(3.0)
KL_75_50 = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
# 3 classes, target 0: teacher logits [0, ln3, 0] -> p_T = [.2, .6, .2], student uniform.
TCKD_3 = 0.2 * math.log(0.2 * 3) + 0.8 * math.log(0.8 * 3 / 2)   # [.2,.8] vs [1/3, 2/3]
NCKD_3 = KL_75_50                                                 # [.75,.25] vs [.5,.5]


def logits(*pixels):
    """``[1, C, 1, P]`` from per-pixel class logits."""
    return torch.tensor(pixels, dtype=torch.float32).t()[None, :, None, :]


def test_dkd_hand_value_three_classes():
    s, t = logits([0.0, 0.0, 0.0]), logits([0.0, LN3, 0.0])
    gt = torch.tensor([[[0]]])
    assert DKDLoss(alpha=1.0, beta=0.0)(s, t, gt).item() == pytest.approx(TCKD_3, rel=1e-5)
    assert DKDLoss(alpha=0.0, beta=1.0)(s, t, gt).item() == pytest.approx(NCKD_3, rel=1e-5)
    assert DKDLoss(alpha=2.0, beta=3.0, loss_weight=0.5)(s, t, gt).item() == pytest.approx(
        0.5 * (2 * TCKD_3 + 3 * NCKD_3), rel=1e-5)
    # T = 2 with doubled logits: same distributions, times T^2
    assert DKDLoss(temperature=2.0, alpha=2.0, beta=3.0)(2 * s, 2 * t, gt).item() == \
        pytest.approx(4 * (2 * TCKD_3 + 3 * NCKD_3), rel=1e-5)


def test_dkd_target_comes_from_each_pixels_label():
    # target 1 on the same logits: p_T[t] = .6 vs 1/3; the others [.2, .2] -> uniform q
    s, t = logits([0.0, 0.0, 0.0]), logits([0.0, LN3, 0.0])
    tckd = 0.6 * math.log(0.6 * 3) + 0.4 * math.log(0.4 * 3 / 2)
    assert DKDLoss(beta=5.0)(s, t, torch.tensor([[[1]]])).item() == pytest.approx(
        tckd, rel=1e-5)


def test_dkd_two_classes_is_alpha_times_kd_and_ignores_labels_255():
    s = logits([0.0, 0.0], [0.3, -1.0], [2.0, 2.0])
    t = logits([LN3, 0.0], [-0.5, 1.0], [-9.0, 9.0])
    gt = torch.tensor([[[0, 1, 255]]])
    dkd = DKDLoss(temperature=2.0, alpha=1.5, beta=8.0)(s, t, gt)
    assert dkd.item() == pytest.approx(1.5 * KDLoss(temperature=2.0)(s, t, gt).item(), rel=1e-5)
    one = DKDLoss(beta=8.0)(logits([0.0, 0.0]), logits([LN3, 0.0]), torch.tensor([[[0]]]))
    assert one.item() == pytest.approx(KL_75_50, rel=1e-5)
    s.requires_grad_(True)
    out = DKDLoss()(s, t, torch.full_like(gt, 255))
    assert out.item() == 0.0 and out.requires_grad


def test_dkd_resizes_teacher_and_labels_and_gradient_only_into_student():
    torch.manual_seed(0)
    s = torch.randn(2, 4, 8, 8, requires_grad=True)
    t = torch.randn(2, 4, 4, 4, requires_grad=True)
    gt = torch.randint(0, 4, (2, 16, 16))
    out = DKDLoss(alpha=1.0, beta=8.0)(s, t, gt)
    assert torch.isfinite(out) and out.item() > 0
    out.backward()
    assert t.grad is None
    assert s.grad is not None and s.grad.abs().sum() > 0
    # extreme logits stay finite (log(1 - p_t) from log-sum-exp, not log of a difference)
    big = DKDLoss()(torch.tensor([[[[60.0]], [[-60.0]], [[0.0]]]]),
                    torch.tensor([[[[-60.0]], [[60.0]], [[0.0]]]]), torch.tensor([[[0]]]))
    assert torch.isfinite(big)
