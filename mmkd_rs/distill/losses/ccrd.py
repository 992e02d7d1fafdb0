"""Contrastive cluster representation distillation (CCRD), the second half of FRD.

The abstract of FRD (IEEE TAES 2025) states that a *contrastive cluster
module* describes pixel-level and cluster-level feature distributions and
aligns the student's change / no-change features with the teacher's. This
module reconstructs it with three terms (weights are options):

* **pixel term** - each pixel's similarity distribution over the K
  prototypes (``softmax_k(cos(f, p_k) / tau)``) of the student matches the
  teacher's by ``KL(teacher || student)``;
* **relation term** - the ``K x K`` cosine matrix between prototypes of the
  student matches the teacher's (MSE);
* **contrast term** - InfoNCE pulling each (projected) student pixel toward
  the teacher prototype of its class and away from the other prototypes.

Prototypes come from the change mask (K = 2, masked average pooling) or from
a seeded online k-means of the teacher's change feature. The change feature is
``|f_A - f_B|`` of a siamese backbone stage or an already fused feature.
"""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmkd_rs.engine.rng_state_hook import private_generator
from mmkd_rs.registry import MODELS
from .bfdd import as_stage_tuple, split_dates

Features = Union[torch.Tensor, Sequence[torch.Tensor]]

# Logit given to an absent prototype: exp() underflows to exactly 0.
_ABSENT_LOGIT = -1e4


def change_feature(feats: Features, stage: int, kind: str, name: str) -> torch.Tensor:
    """Pick one stage and return the ``[B, C, h, w]`` change feature.

    ``kind='diff'`` expects a siamese ``[2B, C, h, w]`` feature and returns
    ``|f_A - f_B|``; ``kind='fused'`` expects an already fused ``[B, C, h, w]``.
    """
    stages = as_stage_tuple(feats, name)
    if not -len(stages) <= stage < len(stages):
        raise IndexError(f'{name}: stage {stage} does not exist ({len(stages)} stages)')
    feat = stages[stage]
    if kind == 'diff':
        feat_a, feat_b = split_dates(feat, name)
        return (feat_a - feat_b).abs()
    return feat


def labels_from(gt_seg, name: str) -> torch.Tensor:
    """Return change labels as a ``[B, H, W]`` long tensor.

    Accepts a ``[B, H, W]`` / ``[B, 1, H, W]`` tensor or a list of
    ``SegDataSample`` with ``gt_sem_seg``.
    """
    if isinstance(gt_seg, (list, tuple)):
        if not all(hasattr(s, 'gt_sem_seg') for s in gt_seg):
            raise TypeError(f'{name}: data samples must carry gt_sem_seg')
        shapes = {tuple(s.gt_sem_seg.data.shape) for s in gt_seg}
        if len(shapes) != 1:
            raise ValueError(f'{name}: gt_sem_seg shapes differ within the batch: {shapes}')
        gt_seg = torch.stack([s.gt_sem_seg.data for s in gt_seg])
    if not isinstance(gt_seg, torch.Tensor):
        raise TypeError(f'{name}: expected a label tensor or data samples, '
                        f'got {type(gt_seg).__name__}')
    if gt_seg.dim() == 4 and gt_seg.shape[1] == 1:
        gt_seg = gt_seg[:, 0]
    if gt_seg.dim() != 3:
        raise ValueError(f'{name}: expected labels [B, H, W], got {tuple(gt_seg.shape)}')
    return gt_seg.long()


def label_assignment(labels: torch.Tensor, size, num_classes: int, ignore_index: int,
                     downsample: str, name: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """Class weights and hard classes of each feature pixel from a label map.

    Returns:
        weights: ``[B, K, h, w]`` float, the share of each class in the cell
            (``'area'``) or its one-hot (``'nearest'``); ignored pixels get 0.
        classes: ``[B, h, w]`` long, the pixel's class or -1 when ignored.
    """
    valid = labels != ignore_index
    bad = valid & ((labels < 0) | (labels >= num_classes))
    if bad.any():
        raise ValueError(f'{name}: labels must be in [0, {num_classes}) or {ignore_index}, '
                         f'found {labels[bad].unique().tolist()}')
    onehot = F.one_hot(labels.clamp(0, num_classes - 1), num_classes)
    onehot = (onehot * valid[..., None]).permute(0, 3, 1, 2).float()
    if downsample == 'nearest':
        weights = F.interpolate(onehot, size=size, mode='nearest')
    else:
        weights = F.adaptive_avg_pool2d(onehot, size)
    classes = weights.argmax(dim=1)
    classes[weights.sum(dim=1) <= 0] = -1
    return weights, classes


@torch.no_grad()
def kmeans_assignment(feat: torch.Tensor, valid: torch.Tensor, num_clusters: int,
                      iters: int, scope: str,
                      generator: Optional[torch.Generator]) -> Tuple[torch.Tensor, torch.Tensor]:
    """Cosine k-means of ``feat`` ``[B, C, h, w]`` per image or over the batch.

    Centroids start at distinct random valid pixels (drawn with
    ``generator``); an empty cluster keeps its previous centroid.

    Returns the same ``(weights [B, K, h, w], classes [B, h, w])`` as
    :func:`label_assignment`.
    """
    b, c, h, w = feat.shape
    points = F.normalize(feat, dim=1).permute(0, 2, 3, 1).reshape(b, h * w, c)
    valid = valid.reshape(b, h * w)
    if scope == 'batch':
        points, valid = points.reshape(1, b * h * w, c), valid.reshape(1, b * h * w)
    classes = torch.full(valid.shape, -1, dtype=torch.long, device=feat.device)
    for g in range(points.shape[0]):
        idx = valid[g].nonzero()[:, 0]
        if idx.numel() == 0:
            continue
        pts = points[g, idx]
        order = torch.randperm(idx.numel(), generator=generator)[:num_clusters]
        centroids = pts[order.to(pts.device)]
        if centroids.shape[0] < num_clusters:  # fewer points than clusters
            centroids = torch.cat([centroids, centroids[:1].expand(
                num_clusters - centroids.shape[0], -1)])
        for _ in range(iters):
            assign = (pts @ centroids.t()).argmax(dim=1)
            sums = torch.zeros_like(centroids).index_add_(0, assign, pts)
            counts = torch.bincount(assign, minlength=num_clusters)
            filled = counts > 0
            centroids[filled] = F.normalize(sums[filled], dim=1)
        classes[g, idx] = (pts @ centroids.t()).argmax(dim=1)
    classes = classes.reshape(b, h, w)
    weights = F.one_hot(classes.clamp_min(0), num_clusters).permute(0, 3, 1, 2).float()
    weights = weights * (classes >= 0)[:, None].float()
    return weights, classes


def masked_prototypes(feat: torch.Tensor, weights: torch.Tensor,
                      scope: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """Weighted average pooling of ``feat`` ``[B, C, h, w]`` per class.

    Returns:
        prototypes ``[B, K, C]`` (with ``scope='batch'`` every row holds the
        batch prototypes) and ``present`` ``[B, K]`` bool (class has weight).
    """
    sums = torch.einsum('bkhw,bchw->bkc', weights, feat)
    mass = weights.sum(dim=(2, 3))
    if scope == 'batch':
        sums = sums.sum(dim=0, keepdim=True).expand_as(sums)
        mass = mass.sum(dim=0, keepdim=True).expand_as(mass)
    present = mass > 0
    protos = sums / mass.clamp_min(1e-12)[..., None]
    return protos, present


def sample_pixels(classes: torch.Tensor, num_samples: Optional[int], num_classes: int,
                  balanced: bool, generator: Optional[torch.Generator]) -> torch.Tensor:
    """Flat indices (into ``h * w``) of the pixels used for one image.

    ``classes``: ``[h, w]`` long, -1 = not usable. ``num_samples=None`` keeps
    every usable pixel; ``balanced`` draws up to ``num_samples // K`` per class.
    """
    flat = classes.flatten()
    usable = (flat >= 0).nonzero()[:, 0]
    if num_samples is None or (usable.numel() <= num_samples and not balanced):
        return usable
    if not balanced:
        pick = torch.randperm(usable.numel(), generator=generator)[:num_samples]
        return usable[pick.to(usable.device)]
    per_class = max(num_samples // num_classes, 1)
    chosen = []
    for k in range(num_classes):
        members = (flat == k).nonzero()[:, 0]
        pick = torch.randperm(members.numel(), generator=generator)[:per_class]
        chosen.append(members[pick.to(members.device)])
    return torch.cat(chosen)


@MODELS.register_module()
class ContrastiveClusterRepresentationLoss(nn.Module):
    """CCRD loss: pixel-to-prototype KL, prototype relations, pixel InfoNCE.

    Args:
        student_channels / teacher_channels: channels of the change features;
            when both are given a 1x1 conv projector (student -> teacher) is
            built for the contrast term. Leave them ``None`` when a connector
            already projects the student (then channels must match).
        student_stage / teacher_stage: stage index used from a tuple input.
        change_feature: ``'diff'`` (``|f_A - f_B|`` of a ``[2B, C, h, w]``
            siamese feature) or ``'fused'`` (input already ``[B, C, h, w]``).
        prototypes: ``'label'`` (masked average pooling with the change mask)
            or ``'kmeans'`` (online cosine k-means of the teacher feature; the
            teacher's clusters define both networks' prototypes).
        num_prototypes: K; must be the number of label classes with ``'label'``.
        scope: prototypes per ``'image'`` or per ``'batch'``.
        contrast_negatives: ``'image'`` (other prototypes of the same image)
            or ``'batch'`` (other-class prototypes of every image).
        tau: temperature of similarities (cosine / tau).
        pixel_weight / relation_weight / contrast_weight: term weights.
        num_samples: pixels sampled per image for the pixel and contrast
            terms (``None`` = all); prototypes always use every pixel.
        balanced_sampling: draw ``num_samples // K`` pixels per class.
        kmeans_iters: k-means iterations.
        label_downsample: ``'nearest'`` or ``'area'`` (class shares).
        resize_to: common grid, ``'student'`` or ``'teacher'`` feature size.
        ignore_index: label value ignored (255).
        seed: seed of the private generator of sampling and k-means init;
            ``None``: the run's seed. The global generators are never drawn
            from (see :func:`~mmkd_rs.engine.rng_state_hook.private_generator`).
        return_terms: return ``dict(pixel=..., relation=..., contrast=...)``
            (each weighted; the distiller logs and sums them as
            ``distill.loss_<name>_<term>``) instead of their sum.
        loss_weight: multiplier of the returned loss.

    The unweighted terms of the last call are kept in ``last_terms``.
    """

    def __init__(self,
                 student_channels: Optional[int] = None,
                 teacher_channels: Optional[int] = None,
                 student_stage: int = -1,
                 teacher_stage: int = -1,
                 change_feature: str = 'diff',
                 prototypes: str = 'label',
                 num_prototypes: int = 2,
                 scope: str = 'image',
                 contrast_negatives: str = 'batch',
                 tau: float = 0.1,
                 pixel_weight: float = 1.0,
                 relation_weight: float = 1.0,
                 contrast_weight: float = 1.0,
                 num_samples: Optional[int] = 1024,
                 balanced_sampling: bool = True,
                 kmeans_iters: int = 5,
                 label_downsample: str = 'nearest',
                 resize_to: str = 'student',
                 ignore_index: int = 255,
                 seed: Optional[int] = None,
                 return_terms: bool = False,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        name = type(self).__name__
        for key, value, allowed in (
                ('change_feature', change_feature, ('diff', 'fused')),
                ('prototypes', prototypes, ('label', 'kmeans')),
                ('scope', scope, ('image', 'batch')),
                ('contrast_negatives', contrast_negatives, ('image', 'batch')),
                ('label_downsample', label_downsample, ('nearest', 'area')),
                ('resize_to', resize_to, ('student', 'teacher'))):
            if value not in allowed:
                raise ValueError(f'{name}: {key}={value!r}; expected one of {allowed}')
        if num_prototypes < 2:
            raise ValueError(f'{name}: num_prototypes must be >= 2, got {num_prototypes}')
        if tau <= 0:
            raise ValueError(f'{name}: tau must be > 0, got {tau}')
        if num_samples is not None and num_samples < 1:
            raise ValueError(f'{name}: num_samples must be >= 1 or None, got {num_samples}')
        self.student_stage = student_stage
        self.teacher_stage = teacher_stage
        self.change_feature = change_feature
        self.prototypes = prototypes
        self.num_prototypes = num_prototypes
        self.scope = scope
        self.contrast_negatives = contrast_negatives
        self.tau = float(tau)
        self.pixel_weight = pixel_weight
        self.relation_weight = relation_weight
        self.contrast_weight = contrast_weight
        self.num_samples = num_samples
        self.balanced_sampling = balanced_sampling
        self.kmeans_iters = kmeans_iters
        self.label_downsample = label_downsample
        self.resize_to = resize_to
        self.ignore_index = ignore_index
        self.return_terms = return_terms
        self.loss_weight = loss_weight
        self.projector = None
        if student_channels is not None and teacher_channels is not None:
            self.projector = nn.Conv2d(student_channels, teacher_channels, kernel_size=1)
        self.generator = private_generator(seed)
        self.last_terms = {}

    # ------------------------------------------------------------------ terms
    def pixel_term(self, pix_s, pix_t, protos_s, protos_t, present) -> torch.Tensor:
        """Mean over pixels of KL(teacher || student) of prototype similarities.

        ``pix_*``: ``[N, C]``; ``protos_*``: ``[K, C]``; ``present``: ``[K]``.
        """
        logits_s = self._similarity(pix_s, protos_s, present)
        logits_t = self._similarity(pix_t, protos_t, present)
        log_p_s = F.log_softmax(logits_s, dim=1)
        p_t = F.softmax(logits_t, dim=1)
        return F.kl_div(log_p_s, p_t, reduction='none').sum(dim=1).mean()

    @staticmethod
    def relation_errors(protos_s, protos_t, present) -> Tuple[torch.Tensor, int]:
        """Summed squared error of the K x K prototype cosine matrices, and count."""
        rel_s = F.normalize(protos_s, dim=1) @ F.normalize(protos_s, dim=1).t()
        rel_t = F.normalize(protos_t, dim=1) @ F.normalize(protos_t, dim=1).t()
        both = present[:, None] & present[None, :]
        return ((rel_s - rel_t)[both]**2).sum(), int(both.sum())

    def contrast_term(self, emb_s, classes, bank, bank_classes, positive, usable) -> torch.Tensor:
        """InfoNCE of student pixel embeddings against teacher prototypes.

        ``emb_s``: ``[N, C_t]``; ``classes``: ``[N]``; ``bank``: ``[M, C_t]``
        teacher prototypes with ``bank_classes`` ``[M]``; ``positive``: ``[N]``
        index into the bank; ``usable``: ``[M]`` bool (present prototypes).
        Same-class prototypes other than the positive are left out.
        """
        logits = F.normalize(emb_s, dim=1) @ F.normalize(bank, dim=1).t() / self.tau
        keep = usable[None, :] & (bank_classes[None, :] != classes[:, None])
        keep[torch.arange(len(positive), device=keep.device), positive] = True
        logits = logits.masked_fill(~keep, _ABSENT_LOGIT)
        return F.cross_entropy(logits, positive)

    def _similarity(self, pix, protos, present) -> torch.Tensor:
        sim = F.normalize(pix, dim=1) @ F.normalize(protos, dim=1).t() / self.tau
        return sim.masked_fill(~present[None, :], _ABSENT_LOGIT)

    # ---------------------------------------------------------------- forward
    def forward(self, preds_S: Features, preds_T: Features,
                gt_seg=None) -> Union[torch.Tensor, Dict[str, torch.Tensor]]:
        """Compute the CCRD loss.

        Args:
            preds_S: student features, tensor or tuple of stages; ``[2B, C_s,
                h, w]`` with ``change_feature='diff'``, ``[B, C_s, h, w]`` with
                ``'fused'``.
            preds_T: teacher features, same convention.
            gt_seg: change labels ``[B, H, W]`` (0 / 1 / ignore) or a list of
                ``SegDataSample``; required with ``prototypes='label'``.

        Returns:
            Scalar ``loss_weight * (pixel_weight * KL + relation_weight * MSE
            + contrast_weight * InfoNCE)``, or the three weighted terms as a
            dict with ``return_terms=True``.
        """
        name = type(self).__name__
        feat_s = change_feature(preds_S, self.student_stage, self.change_feature,
                                f'{name}.preds_S')
        feat_t = change_feature(preds_T, self.teacher_stage, self.change_feature,
                                f'{name}.preds_T').detach()
        if feat_s.shape[0] != feat_t.shape[0]:
            raise ValueError(f'{name}: student has {feat_s.shape[0]} images, '
                             f'teacher {feat_t.shape[0]}')
        size = (feat_s if self.resize_to == 'student' else feat_t).shape[-2:]
        feat_s, feat_t = self._resize(feat_s, size), self._resize(feat_t, size)
        emb_s = feat_s if self.projector is None else self.projector(feat_s)
        if self.contrast_weight and emb_s.shape[1] != feat_t.shape[1]:
            raise ValueError(
                f'{name}: the contrast term compares student pixels with teacher prototypes '
                f'but channels differ ({emb_s.shape[1]} vs {feat_t.shape[1]}); set '
                'student_channels and teacher_channels to build the projector, or add a connector')

        weights, classes = self._assignment(feat_t, gt_seg, size)
        protos_s, present = masked_prototypes(feat_s, weights, self.scope)
        protos_t, _ = masked_prototypes(feat_t, weights, self.scope)

        b, k = present.shape
        bank_t = protos_t.reshape(b * k, -1)
        bank_classes = torch.arange(k, device=feat_t.device).repeat(b)
        pixel, contrast, images = [], [], 0
        rel_sum, rel_count = feat_s.new_zeros(()), 0
        for i in range(b):
            err, count = self.relation_errors(protos_s[i], protos_t[i], present[i])
            rel_sum, rel_count = rel_sum + err, rel_count + count
            idx = sample_pixels(classes[i], self.num_samples, k, self.balanced_sampling,
                                self.generator)
            if idx.numel() == 0:
                continue
            images += 1
            pix_s = feat_s[i].flatten(1).t()[idx]
            pix_t = feat_t[i].flatten(1).t()[idx]
            pix_cls = classes[i].flatten()[idx]
            pixel.append(self.pixel_term(pix_s, pix_t, protos_s[i], protos_t[i], present[i]))
            if not self.contrast_weight:
                continue
            pix_emb = emb_s[i].flatten(1).t()[idx]
            if self.contrast_negatives == 'image' or self.scope == 'batch':
                rows = slice(i * k, (i + 1) * k)
                contrast.append(self.contrast_term(pix_emb, pix_cls, bank_t[rows],
                                                   bank_classes[rows], pix_cls,
                                                   present[i]))
            else:
                contrast.append(self.contrast_term(pix_emb, pix_cls, bank_t, bank_classes,
                                                   i * k + pix_cls, present.flatten()))
        zero = emb_s.sum() * 0.0  # keeps the graph (projector included) when nothing is usable
        terms = dict(
            pixel=torch.stack(pixel).mean() if pixel else zero,
            relation=rel_sum / rel_count if rel_count else zero,
            contrast=torch.stack(contrast).mean() if contrast else zero)
        self.last_terms = {key: float(val.detach()) for key, val in terms.items()}
        weighted = dict(pixel=self.loss_weight * self.pixel_weight * terms['pixel'],
                        relation=self.loss_weight * self.relation_weight * terms['relation'],
                        contrast=self.loss_weight * self.contrast_weight * terms['contrast'])
        if self.return_terms:
            return weighted
        return sum(weighted.values()) + zero

    def _assignment(self, feat_t, gt_seg, size):
        name = type(self).__name__
        labels = None
        if gt_seg is not None:
            labels = labels_from(gt_seg, f'{name}.gt_seg').to(feat_t.device)
            if labels.shape[0] != feat_t.shape[0]:
                raise ValueError(f'{name}: {labels.shape[0]} label maps for '
                                 f'{feat_t.shape[0]} images')
        if self.prototypes == 'label':
            if labels is None:
                raise ValueError(f"{name}: prototypes='label' needs gt_seg (change labels); "
                                 'map it in loss_forward_mappings or use prototypes=\'kmeans\'')
            return label_assignment(labels, size, self.num_prototypes, self.ignore_index,
                                    self.label_downsample, f'{name}.gt_seg')
        if labels is None:
            valid = torch.ones(feat_t.shape[0], *size, dtype=torch.bool, device=feat_t.device)
        else:
            # Labels only tell which pixels to ignore: one class 'usable'.
            usable = torch.where(labels == self.ignore_index, labels, torch.zeros_like(labels))
            _, usable_cls = label_assignment(usable, size, 1, self.ignore_index,
                                             self.label_downsample, f'{name}.gt_seg')
            valid = usable_cls >= 0
        return kmeans_assignment(feat_t, valid, self.num_prototypes, self.kmeans_iters,
                                 self.scope, self.generator)

    @staticmethod
    def _resize(feat: torch.Tensor, size) -> torch.Tensor:
        if tuple(feat.shape[-2:]) == tuple(size):
            return feat
        return F.interpolate(feat, size=tuple(size), mode='bilinear', align_corners=False)
