"""ClassMeanDiceLoss: per-class soft Dice averaged over classes, checked by hand."""
import math

import pytest
import torch

from mmkd_rs.models.losses import ClassMeanDiceLoss


def _logits_from_probs(p_fg):
    """[1, 2, 1, N] logits whose softmax gives foreground probabilities p_fg."""
    p = torch.tensor(p_fg, dtype=torch.float64)
    return torch.stack([torch.log(1 - p), torch.log(p)]).reshape(1, 2, 1, -1)


def test_value_matches_hand_computation():
    # pixels: fg probs 0.8, 0.4, 0.1; labels 1, 0, 1
    logits = _logits_from_probs([0.8, 0.4, 0.1])
    label = torch.tensor([[[1, 0, 1]]])
    # class 1: inter = 0.8 + 0.1 = 0.9; sum p = 1.3; sum g = 2 -> (1.8 + s) / (3.3 + s)
    # class 0: p0 = 0.2, 0.6, 0.9; inter = 0.6; sum p = 1.7; sum g = 1 -> (1.2 + s) / (2.7 + s)
    loss = ClassMeanDiceLoss(smooth=0.0)(logits, label)
    expected = 1 - (1.8 / 3.3 + 1.2 / 2.7) / 2
    assert math.isclose(loss.item(), expected, rel_tol=1e-9)
    loss_s = ClassMeanDiceLoss(smooth=1.0, loss_weight=2.0)(logits, label)
    assert math.isclose(loss_s.item(), 2 * (1 - (2.8 / 4.3 + 2.2 / 3.7) / 2), rel_tol=1e-9)


def test_ignored_pixels_do_not_count():
    logits = _logits_from_probs([0.8, 0.4, 0.1, 0.99])
    label = torch.tensor([[[1, 0, 1, 255]]])
    full = ClassMeanDiceLoss(smooth=0.0)(logits, label)
    ref = ClassMeanDiceLoss(smooth=0.0)(logits[..., :3], label[..., :3])
    assert math.isclose(full.item(), ref.item(), rel_tol=1e-9)


def test_rare_class_weighs_like_the_background():
    """All-background prediction on 6 % foreground (smooth 1): building Dice
    1 / 7, background (2 * 94 + 1) / (100 + 94 + 1), loss 0.444; mmseg's pooled
    DiceLoss gives about a third of that (the reason this loss exists)."""
    from mmseg.models.losses import DiceLoss
    label = torch.zeros(1, 10, 10, dtype=torch.long)
    label[0, :6, 0] = 1
    logits = torch.zeros(1, 2, 10, 10)
    logits[:, 0] = 10.0  # confident background everywhere
    ours = ClassMeanDiceLoss()(logits, label).item()
    pooled = DiceLoss()(logits, label).item()
    assert ours == pytest.approx(1 - (1 / 7 + 189 / 195) / 2, abs=1e-3)
    assert pooled < ours / 3


def test_perfect_prediction_gives_zero_and_gradients_flow():
    label = torch.randint(0, 3, (2, 8, 8))
    logits = torch.nn.functional.one_hot(label, 3).permute(0, 3, 1, 2).float() * 50
    assert ClassMeanDiceLoss(smooth=0.0)(logits, label).item() == pytest.approx(0.0, abs=1e-6)
    x = torch.randn(2, 3, 8, 8, requires_grad=True)
    ClassMeanDiceLoss()(x, label).backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_size_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match='spatial size'):
        ClassMeanDiceLoss()(torch.zeros(1, 2, 4, 4), torch.zeros(1, 8, 8, dtype=torch.long))
