"""IFVDLoss against intra-class variation maps computed by hand."""
import math

import pytest
import torch

from mmkd_rs.distill.losses import IFVDLoss

from distill_testkit import FAMILY_SETUPS, assert_family_setup

# Student pixels (1,0), (0,1) of class 0 share the prototype (.5,.5): cos = 1/sqrt2 each;
# the lone class-1 pixel (1,1) is its own prototype: cos = 1. Teacher: all cos = 1.
SQRT_HALF = 1 / math.sqrt(2)
HAND = 2 * (1 - SQRT_HALF) ** 2 / 3


def feats(*pixels):
    """``[1, C, 1, P]`` from per-pixel feature vectors."""
    return torch.tensor(pixels, dtype=torch.float32).t()[None, :, None, :]


def student_teacher():
    s = feats([1.0, 0.0], [0.0, 1.0], [1.0, 1.0])
    t = feats([1.0, 0.0, 5.0], [1.0, 0.0, 5.0], [0.0, 3.0, 0.0])   # 3 channels: allowed
    return s, t


def test_ifvd_hand_value():
    s, t = student_teacher()
    gt = torch.tensor([[[0, 0, 1]]])
    assert IFVDLoss(num_classes=2)(s, t, gt).item() == pytest.approx(HAND, rel=1e-5)
    assert IFVDLoss(num_classes=2, loss_weight=200.0)(s, t, gt).item() == pytest.approx(
        200 * HAND, rel=1e-5)
    # identical maps -> 0
    assert IFVDLoss(num_classes=2)(s, 3 * s, gt).item() == pytest.approx(0.0, abs=1e-7)


def test_ifvd_prototypes_are_per_image():
    # image 2 holds one class-0 pixel (0,1) that would change image 1's prototype if pooled
    s, t = student_teacher()
    s2 = torch.cat([s, feats([0.0, 1.0], [1.0, 0.0], [1.0, 1.0])])
    t2 = torch.cat([t, feats([1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])])
    gt = torch.tensor([[[0, 0, 1]], [[0, 0, 1]]])
    assert IFVDLoss(num_classes=2)(s2, t2, gt).item() == pytest.approx(HAND, rel=1e-5)


def test_ifvd_ignored_pixels_are_left_out_and_labels_are_downsampled():
    s, t = student_teacher()
    s = torch.cat([s, feats([7.0, -1.0])], dim=3)
    t = torch.cat([t, feats([0.0, 0.0, 1.0])], dim=3)
    gt = torch.tensor([[[0, 0, 1, 255]]])
    assert IFVDLoss(num_classes=2)(s, t, gt).item() == pytest.approx(HAND, rel=1e-5)
    # labels at twice the feature resolution, resized nearest
    gt2 = gt.repeat_interleave(2, dim=1).repeat_interleave(2, dim=2)
    assert IFVDLoss(num_classes=2)(s, t, gt2).item() == pytest.approx(HAND, rel=1e-5)
    # all ignored: 0, still a graph
    s.requires_grad_(True)
    out = IFVDLoss(num_classes=2)(s, t, torch.full_like(gt, 255))
    assert out.item() == 0.0 and out.requires_grad


def test_ifvd_gradient_only_into_student():
    torch.manual_seed(0)
    s = torch.randn(2, 4, 6, 6, requires_grad=True)
    t = torch.randn(2, 8, 3, 3, requires_grad=True)   # resized to 6x6
    gt = torch.randint(0, 2, (2, 12, 12))
    IFVDLoss(num_classes=2)(s, t, gt).backward()
    assert t.grad is None
    assert s.grad is not None and s.grad.abs().sum() > 0


def test_ifvd_float16_prototypes_do_not_overflow():
    # 16384 pixels of values up to 20: their sum exceeds float16's 65504, their mean does not
    torch.manual_seed(0)
    s = torch.rand(1, 4, 128, 128) * 20
    t = torch.rand(1, 4, 128, 128) * 20
    gt = torch.randint(0, 2, (1, 128, 128))
    ref = IFVDLoss(num_classes=2)(s, t, gt)
    half = IFVDLoss(num_classes=2)(s.half(), t.half(), gt)
    assert torch.isfinite(half)
    assert half.item() == pytest.approx(ref.item(), rel=0.05, abs=1e-4)


BASELINES = [(m, tail) for m in ('ifvd', 'cirkd', 'dkd') for tail in FAMILY_SETUPS]


@pytest.mark.parametrize('method, tail', BASELINES, ids=[m + t for m, t in BASELINES])
def test_baseline_configs_keep_the_family_student_teacher_and_data(method, tail, monkeypatch):
    """IFVD, CIRKD and DKD configs change only the distiller of their family's KD setup."""
    import os
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    monkeypatch.chdir(repo)
    cfg = assert_family_setup(f'configs/{method}/{method}{tail}')
    losses = cfg.model.distiller.distill_losses
    assert list(losses) == [f'loss_{method}']
    mapping = cfg.model.distiller.loss_forward_mappings[f'loss_{method}']
    assert mapping.gt_seg == dict(from_data='gt_sem_seg')
