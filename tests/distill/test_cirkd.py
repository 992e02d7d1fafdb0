"""CIRKDLoss: relation distributions computed by hand on two-pixel images.

The similarity temperature is 1/ln3, so a cosine of 1 against 0 becomes the
softmax [3, 1]/4: the KL divergences below are built from those fractions.
"""
import math

import pytest
import torch
from torch import nn

from mmkd_rs.distill.losses import CIRKDLoss

LN3 = math.log(3.0)
TAU = 1 / LN3
KL_75_50 = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
A, B = [1.0, 0.0], [0.0, 1.0]


def image(*pixels):
    """``[1, C, 1, P]`` from per-pixel embeddings."""
    return torch.tensor(pixels, dtype=torch.float32).t()[None, :, None, :]


def tiny_loss(**kwargs):
    cfg = dict(num_classes=2, student_channels=2, teacher_channels=2, temperature=TAU,
               pixel_memory_size=2, region_memory_size=1, pixel_contrast_size=4,
               region_contrast_size=2, pixel_update_freq=1)
    cfg.update(kwargs)
    return CIRKDLoss(**cfg)


def test_batch_pixel_term_across_images():
    # teacher images [A, B] and [A, A]; student embeds every pixel as A (uniform rows).
    # pairs (0,0) and (1,0) give rows [.75,.25] (or [.25,.75]); pairs (x,1) uniform rows.
    loss = tiny_loss(memory_pixel_weight=0.0, memory_region_weight=0.0)
    s = torch.cat([image(A, A), image(A, A)])
    t = torch.cat([image(A, B), image(A, A)])
    out = loss(s, 2 * t, torch.zeros(2, 1, 2, dtype=torch.long))
    assert out['batch_pixel'].item() == pytest.approx(KL_75_50 / 2, rel=1e-5)
    assert out['memory_pixel'].item() == 0.0
    weighted = tiny_loss(batch_pixel_weight=3.0)(s, t, torch.zeros(2, 1, 2, dtype=torch.long))
    assert weighted['batch_pixel'].item() == pytest.approx(1.5 * KL_75_50, rel=1e-5)


def test_memory_terms_against_banks_filled_by_hand():
    loss = tiny_loss()
    loss.project_head = nn.Identity()                       # student embeddings as given
    # slot 1 of the pixel bank by hand; slot 0 and the region bank get this batch's teacher
    loss.pixel_queue[0, 1] = torch.tensor(A)
    loss.pixel_queue[1, 1] = torch.tensor(B)
    s = image(A, A)                                        # pixel 1 (class 1) is wrong
    t = image(A, B)
    gt = torch.tensor([[[0, 1]]])
    out = loss(s, t, gt)
    assert loss.pixel_queue.tolist() == [[A, A], [B, B]]
    assert loss.region_queue.tolist() == [[A], [B]]
    # pixel bank [A, A, B, B]: teacher rows [3,3,1,1]/8 and [1,1,3,3]/8; the student's
    # second row is [3,3,1,1]/8: KL = .5 ln3, mean over the 2 anchors.
    assert out['memory_pixel'].item() == pytest.approx(0.1 * 0.25 * LN3, rel=1e-5)
    # region bank [A, B]: rows [.75,.25] / [.25,.75]; the student's second row [.75,.25]
    assert out['memory_region'].item() == pytest.approx(0.1 * 0.25 * LN3, rel=1e-5)
    # the single-image batch term: teacher rows [.75,.25], [.25,.75]; student uniform
    assert out['batch_pixel'].item() == pytest.approx(KL_75_50, rel=1e-5)
    assert loss.pixel_ptr.tolist() == [1, 1] and loss.region_ptr.tolist() == [0, 0]


def test_ignored_pixels_are_neither_anchors_nor_stored():
    loss = tiny_loss()
    before = loss.pixel_queue.clone()
    s = image(A, B)
    out = loss(s.requires_grad_(True), image(A, B), torch.tensor([[[255, 255]]]))
    assert torch.equal(loss.pixel_queue, before)
    assert out['memory_pixel'].item() == 0.0 and out['memory_pixel'].requires_grad


def test_gradient_into_student_and_projection_head_only():
    torch.manual_seed(0)
    loss = CIRKDLoss(num_classes=2, student_channels=4, teacher_channels=6,
                     pixel_memory_size=32, region_memory_size=8, pixel_contrast_size=16,
                     region_contrast_size=4, batch_pool=2, max_anchors=20)
    s = torch.randn(2, 4, 8, 8, requires_grad=True)
    t = torch.randn(2, 6, 4, 4, requires_grad=True)     # resized to 8x8
    out = loss(s, t, torch.randint(0, 2, (2, 16, 16)))
    assert set(out) == {'batch_pixel', 'memory_pixel', 'memory_region'}
    sum(out.values()).backward()
    assert t.grad is None
    assert s.grad is not None and s.grad.abs().sum() > 0
    assert all(p.grad is not None for p in loss.project_head.parameters())
    assert not any(b.requires_grad for b in loss.buffers())
