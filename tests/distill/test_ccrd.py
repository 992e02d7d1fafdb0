"""Tests of the contrastive cluster representation distillation (CCRD) loss."""
import math

import pytest
import torch

from mmkd_rs.distill.losses.ccrd import (ContrastiveClusterRepresentationLoss,
                                         kmeans_assignment, label_assignment,
                                         masked_prototypes)


def _siamese(channels, size=8, batch=2, seed=0, requires_grad=False):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(2 * batch, channels, size, size,
                       generator=gen).requires_grad_(requires_grad)


def _labels(batch=2, size=32, seed=0):
    gen = torch.Generator().manual_seed(seed)
    labels = (torch.rand(batch, size, size, generator=gen) > 0.7).long()
    labels[:, :2] = 255
    return labels


def _tiny_example():
    """One image, 1x3 fused features, labels [0, 0, 1] (see test docstrings)."""
    student = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 2.0]]).t().reshape(1, 2, 1, 3)
    teacher = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]).t().reshape(1, 2, 1, 3)
    labels = torch.tensor([[[0, 0, 1]]])
    return student, teacher, labels


def _only(term, tau=0.5):
    weights = dict(pixel_weight=0.0, relation_weight=0.0, contrast_weight=0.0)
    weights[f'{term}_weight'] = 1.0
    return ContrastiveClusterRepresentationLoss(change_feature='fused', num_samples=None,
                                                tau=tau, **weights)


def test_hand_computed_relation_term():
    # Student prototypes (0.5, 0.5) and (0, 2): cosine 1/sqrt(2); teacher's
    # (1, 0) and (0, 1): cosine 0. Two off-diagonal errors of 1/2 over 4 entries.
    student, teacher, labels = _tiny_example()
    assert _only('relation')(student, teacher, labels).item() == pytest.approx(0.25, abs=1e-6)


def test_hand_computed_pixel_term():
    student, teacher, labels = _tiny_example()
    tau = 0.5
    r = 1 / math.sqrt(2)
    cos_s = torch.tensor([[r, 0.0], [r, 1.0], [r, 1.0]])  # pixels vs (0.5,0.5), (0,2)
    cos_t = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # pixels vs (1,0), (0,1)
    p_s, p_t = torch.softmax(cos_s / tau, 1), torch.softmax(cos_t / tau, 1)
    expected = (p_t * (p_t / p_s).log()).sum(1).mean().item()
    assert _only('pixel', tau)(student, teacher, labels).item() == pytest.approx(expected,
                                                                                rel=1e-5)


def test_hand_computed_contrast_term():
    # Student pixels (1,0), (0,1), (0,2) against teacher prototypes (1,0) [class 0]
    # and (0,1) [class 1]: cosines (1,0), (0,1), (0,1); classes 0, 0, 1.
    student, teacher, labels = _tiny_example()
    tau = 0.5
    nll = [-math.log(math.exp(1 / tau) / (math.exp(1 / tau) + 1)),
           -math.log(1 / (1 + math.exp(1 / tau))),
           -math.log(math.exp(1 / tau) / (math.exp(1 / tau) + 1))]
    value = _only('contrast', tau)(student, teacher, labels).item()
    assert value == pytest.approx(sum(nll) / 3, rel=1e-5)


@pytest.mark.parametrize('cfg', [
    dict(),
    dict(scope='batch'),
    dict(prototypes='kmeans', num_prototypes=3),
    dict(label_downsample='area', num_samples=16, balanced_sampling=False),
])
def test_identical_features_give_zero_pixel_and_relation_terms(cfg):
    feats = _siamese(16)
    loss = ContrastiveClusterRepresentationLoss(seed=0, **cfg)
    value = loss(feats, feats, _labels())
    assert loss.last_terms['pixel'] == pytest.approx(0.0, abs=1e-6)
    assert loss.last_terms['relation'] == pytest.approx(0.0, abs=1e-6)
    assert loss.last_terms['contrast'] > 0
    assert value.item() == pytest.approx(loss.last_terms['contrast'], rel=1e-5)


def test_different_features_give_positive_terms():
    loss = ContrastiveClusterRepresentationLoss(16, 32, seed=0, tau=0.1)
    loss(_siamese(16, seed=1), _siamese(32, seed=2), _labels())
    assert all(v > 0 for v in loss.last_terms.values())


def test_invariant_to_swapping_dates():
    s, t = _siamese(16, seed=1), _siamese(32, seed=2)
    swap = lambda f: torch.cat([f[2:], f[:2]])  # noqa: E731
    a = ContrastiveClusterRepresentationLoss(16, 32, seed=0)
    b = ContrastiveClusterRepresentationLoss(16, 32, seed=0)
    b.load_state_dict(a.state_dict())
    assert a(s, t, _labels()).item() == pytest.approx(b(swap(s), swap(t), _labels()).item(),
                                                      rel=1e-5)


def test_gradients_reach_student_and_projector_not_teacher():
    s = (_siamese(8, 16, seed=3), _siamese(16, seed=1, requires_grad=True))
    t = (_siamese(32, 16, seed=4), _siamese(64, seed=2, requires_grad=True))
    loss = ContrastiveClusterRepresentationLoss(16, 64, student_stage=1, teacher_stage=1,
                                                seed=0)
    loss(s, t, _labels()).backward()
    assert s[1].grad is not None and s[1].grad.abs().sum() > 0
    assert loss.projector.weight.grad.abs().sum() > 0
    assert t[1].grad is None


@pytest.mark.parametrize('fill', [0, 255])
def test_absent_change_class_gives_finite_loss_and_gradients(fill):
    s = _siamese(16, requires_grad=True)
    labels = torch.full((2, 32, 32), fill, dtype=torch.long)
    for negatives in ('image', 'batch'):
        loss = ContrastiveClusterRepresentationLoss(16, 32, contrast_negatives=negatives,
                                                    seed=0)
        value = loss(s, _siamese(32, seed=2), labels)
        value.backward()
        assert torch.isfinite(value)
        assert torch.isfinite(s.grad).all() and torch.isfinite(loss.projector.weight.grad).all()
        if fill == 255:  # nothing usable: exactly zero, graph kept for the optimiser
            assert value.item() == 0.0
        else:  # one class: its pixel distribution is trivially one-hot
            assert loss.last_terms['pixel'] == pytest.approx(0.0, abs=1e-6)
            assert loss.last_terms['relation'] == pytest.approx(0.0, abs=1e-6)


def test_one_image_without_change_only_uses_present_prototypes():
    labels = _labels()
    labels[1][labels[1] == 1] = 0
    loss = ContrastiveClusterRepresentationLoss(16, 32, seed=0)
    value = loss(_siamese(16, seed=1), _siamese(32, seed=2), labels)
    assert torch.isfinite(value) and loss.last_terms['relation'] > 0


def test_label_assignment_nearest_and_area():
    labels = torch.zeros(1, 4, 4, dtype=torch.long)
    labels[0, 1, 1] = 1
    labels[0, 3, 3] = 255
    area, area_cls = label_assignment(labels, (2, 2), 2, 255, 'area', 'gt')
    assert area[0, 1, 0, 0].item() == pytest.approx(0.25)
    assert area[0, 0, 1, 1].item() == pytest.approx(0.75)  # ignored pixel has no weight
    assert area_cls[0].tolist() == [[0, 0], [0, 0]]
    near, near_cls = label_assignment(labels, (2, 2), 2, 255, 'nearest', 'gt')
    assert near[0, 1].sum().item() == 0  # nearest samples rows/cols 0 and 2
    with pytest.raises(ValueError, match=r'\[0, 2\)'):
        label_assignment(labels + 3, (2, 2), 2, 255, 'nearest', 'gt')


def test_masked_prototypes_per_image_and_batch():
    feat = torch.arange(8.0).reshape(2, 1, 2, 2)  # image 0: 0..3, image 1: 4..7
    weights = torch.zeros(2, 2, 2, 2)
    weights[:, 0, 0] = 1.0  # class 0 = top row
    weights[0, 1, 1] = 1.0  # class 1 = bottom row of image 0 only
    protos, present = masked_prototypes(feat, weights, 'image')
    assert protos[:, :, 0].tolist() == [[0.5, 2.5], [4.5, 0.0]]
    assert present.tolist() == [[True, True], [True, False]]
    protos, present = masked_prototypes(feat, weights, 'batch')
    assert protos[:, :, 0].tolist() == [[2.5, 2.5], [2.5, 2.5]]
    assert present.all()


def test_kmeans_finds_two_obvious_clusters_reproducibly():
    feat = torch.zeros(1, 3, 4, 4)
    feat[0, 0, :2] = 1.0
    feat[0, 1, 2:] = 1.0
    feat = feat + 0.01 * torch.randn(feat.shape, generator=torch.Generator().manual_seed(0))
    valid = torch.ones(1, 4, 4, dtype=torch.bool)
    _, classes = kmeans_assignment(feat, valid, 2, 5, 'image',
                                   torch.Generator().manual_seed(1))
    top, bottom = classes[0, :2].unique(), classes[0, 2:].unique()
    assert len(top) == 1 and len(bottom) == 1 and top.item() != bottom.item()
    values = []
    for _ in range(2):
        loss = ContrastiveClusterRepresentationLoss(prototypes='kmeans', num_prototypes=4,
                                                    seed=7)
        values.append(loss(_siamese(16, seed=1), _siamese(16, seed=2)).item())
    assert values[0] != 0 and values[0] == values[1]


def test_batch_negatives_add_other_images_prototypes():
    s, t, labels = _siamese(16, seed=1), _siamese(16, seed=2), _labels()
    own = ContrastiveClusterRepresentationLoss(contrast_negatives='image', seed=0)
    batch = ContrastiveClusterRepresentationLoss(contrast_negatives='batch', seed=0)
    own(s, t, labels), batch(s, t, labels)
    assert own.last_terms['pixel'] == pytest.approx(batch.last_terms['pixel'])
    assert batch.last_terms['contrast'] > own.last_terms['contrast']


def test_sampling_bounds_pixels_and_is_seeded():
    s, t, labels = _siamese(16, size=16, seed=1), _siamese(16, size=16, seed=2), _labels()
    a = ContrastiveClusterRepresentationLoss(num_samples=8, seed=3)
    b = ContrastiveClusterRepresentationLoss(num_samples=8, seed=3)
    assert a(s, t, labels).item() == b(s, t, labels).item()
    full = ContrastiveClusterRepresentationLoss(num_samples=None)(s, t, labels).item()
    assert a(s, t, labels).item() != pytest.approx(full, rel=1e-4)


def test_data_samples_are_accepted_as_labels():
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    labels = _labels()
    samples = []
    for lab in labels:
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(data=lab[None])
        samples.append(sample)
    s, t = _siamese(16, seed=1), _siamese(16, seed=2)
    loss = ContrastiveClusterRepresentationLoss(seed=0)
    ref = ContrastiveClusterRepresentationLoss(seed=0)
    assert loss(s, t, samples).item() == pytest.approx(ref(s, t, labels).item())


def test_clear_errors():
    s, t = _siamese(16), _siamese(32)
    with pytest.raises(ValueError, match='needs gt_seg'):
        ContrastiveClusterRepresentationLoss()(s, s)
    with pytest.raises(ValueError, match='projector'):
        ContrastiveClusterRepresentationLoss()(s, t, _labels())
    with pytest.raises(ValueError, match='scope'):
        ContrastiveClusterRepresentationLoss(scope='pixel')
    with pytest.raises(ValueError, match='odd'):
        ContrastiveClusterRepresentationLoss()(s[:3], s[:3], _labels())
    # contrast off: channels may differ and no projector is needed
    loss = ContrastiveClusterRepresentationLoss(contrast_weight=0.0)
    assert torch.isfinite(loss(s, t, _labels()))


def test_return_terms_gives_weighted_terms_summing_to_the_loss():
    s, t, labels = _siamese(16, seed=1), _siamese(16, seed=2), _labels()
    cfg = dict(pixel_weight=2.0, relation_weight=3.0, contrast_weight=0.5, loss_weight=0.1,
               seed=0)
    total = ContrastiveClusterRepresentationLoss(**cfg)(s, t, labels)
    loss = ContrastiveClusterRepresentationLoss(return_terms=True, **cfg)
    terms = loss(s, t, labels)
    assert set(terms) == {'pixel', 'relation', 'contrast'}
    assert terms['relation'].item() == pytest.approx(0.1 * 3.0 * loss.last_terms['relation'])
    assert sum(terms.values()).item() == pytest.approx(total.item(), rel=1e-6)


def test_pixel_and_relation_terms_ignore_channel_order_and_scale():
    """Both terms are built from cosines, so they are blind to channel order and scale."""
    s, t, labels = _siamese(16, seed=1), _siamese(32, seed=2), _labels()
    loss = ContrastiveClusterRepresentationLoss(contrast_weight=0.0, seed=0)
    loss(s, t, labels)
    ref = dict(loss.last_terms)
    moved = ContrastiveClusterRepresentationLoss(contrast_weight=0.0, seed=0)
    moved(3.0 * s[:, torch.randperm(16)], 0.5 * t[:, torch.randperm(32)], labels)
    for term in ('pixel', 'relation'):
        assert moved.last_terms[term] == pytest.approx(ref[term], rel=1e-4, abs=1e-8)
    assert ref['pixel'] > 0 and ref['relation'] > 0
