"""Bi-temporal feature distance distillation (BFDD), the first half of FRD.

FRD (IEEE TAES 2025) makes a change-detection student learn the *relation*
between the two dates' features of its teacher rather than the features
themselves. What the abstract states, and what this module follows:

* the distilled quantity is a bi-temporal feature distance, which does not
  depend on how many channels a network has (channel-agnostic);
* teacher/student stage mismatch is handled by an *iteration-wise random
  selection* of the compared stages and by *bilinear interpolation* to a
  common size.

Everything else (distance, normalisation, matching criterion, stage pools)
is this project's reconstruction and is exposed as an option; see
``configs/frd/README.md``.

Feature convention of the siamese change segmentor: a backbone output is a
tuple of ``[2B, C_i, h_i, w_i]`` tensors whose first ``B`` rows are date A
and last ``B`` rows date B.
"""
import itertools
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import MessageHub

from mmkd_rs.engine.rng_state_hook import private_generator
from mmkd_rs.registry import MODELS

Features = Union[torch.Tensor, Sequence[torch.Tensor]]

DISTANCES = ('l2', 'cosine')
MAP_NORMS = ('max', 'mean', 'softmax', 'none')
MATCHES = ('mse', 'kl')
MODES = ('random', 'all')


def as_stage_tuple(feats: Features, name: str) -> Tuple[torch.Tensor, ...]:
    """Return ``feats`` as a tuple of 4-D tensors (a single tensor is one stage).

    Raises:
        TypeError / ValueError naming ``name`` when the input is not 4-D
        feature maps.
    """
    if isinstance(feats, torch.Tensor):
        feats = (feats, )
    if not isinstance(feats, (tuple, list)) or len(feats) == 0:
        raise TypeError(f'{name}: expected a tensor or a non-empty tuple of '
                        f'[2B, C, h, w] tensors, got {type(feats).__name__}')
    for i, f in enumerate(feats):
        if not isinstance(f, torch.Tensor) or f.dim() != 4:
            shape = tuple(f.shape) if isinstance(f, torch.Tensor) else type(f).__name__
            raise ValueError(f'{name}[{i}]: expected a [2B, C, h, w] tensor, got {shape}')
    return tuple(feats)


def split_dates(feat: torch.Tensor, name: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """Split a ``[2B, C, h, w]`` siamese feature into date A and date B halves."""
    if feat.shape[0] % 2 != 0:
        raise ValueError(
            f'{name}: batch axis {feat.shape[0]} is odd; bi-temporal features must be '
            '[2B, C, h, w] with date A in the first B rows and date B in the last B')
    half = feat.shape[0] // 2
    return feat[:half], feat[half:]


def bitemporal_distance(feat: torch.Tensor,
                        distance: str = 'l2',
                        normalize_features: bool = False,
                        name: str = 'feature') -> torch.Tensor:
    """Per-pixel distance between the two dates of a siamese feature.

    Args:
        feat: ``[2B, C, h, w]``, first B rows date A.
        distance: ``'l2'`` (Euclidean norm over channels, in feature units)
            or ``'cosine'`` (``1 - cos``, in [0, 2]).
        normalize_features: L2-normalise each pixel's feature vector over
            channels before the distance.

    Returns:
        ``[B, h, w]`` float32 distance map (half-precision features are cast
        to float32 first).
    """
    feat_a, feat_b = split_dates(feat.float(), name)
    if normalize_features:
        feat_a = F.normalize(feat_a, dim=1)
        feat_b = F.normalize(feat_b, dim=1)
    if distance == 'l2':
        # vector_norm has a zero sub-gradient at 0: identical dates are safe.
        return torch.linalg.vector_norm(feat_a - feat_b, dim=1)
    return 1.0 - F.cosine_similarity(feat_a, feat_b, dim=1, eps=1e-8)


def normalize_map(dist: torch.Tensor, map_norm: str, temperature: float,
                  eps: float) -> torch.Tensor:
    """Normalise a ``[B, h, w]`` distance map per image.

    ``'max'`` / ``'mean'`` divide by the spatial max / mean (unitless),
    ``'softmax'`` returns a spatial probability map ``softmax(D / T)``,
    ``'none'`` returns the map unchanged.
    """
    if map_norm == 'none':
        return dist
    flat = dist.flatten(1)
    if map_norm == 'max':
        flat = flat / (flat.amax(dim=1, keepdim=True) + eps)
    elif map_norm == 'mean':
        flat = flat / (flat.mean(dim=1, keepdim=True) + eps)
    else:
        flat = F.softmax(flat / temperature, dim=1)
    return flat.view_as(dist)


@MODELS.register_module()
class BiTemporalFeatureDistanceLoss(nn.Module):
    """Match the student's bi-temporal distance map to the teacher's.

    For a chosen (student stage, teacher stage) pair, each network's map
    ``D = dist(f_A, f_B)`` over channels is resized bilinearly to a common
    size, normalised per image, and the two maps are matched.

    Args:
        distance: ``'l2'`` or ``'cosine'`` (see :func:`bitemporal_distance`).
        normalize_features: L2-normalise features over channels first.
        map_norm: ``'max'`` | ``'mean'`` | ``'softmax'`` | ``'none'``.
        temperature: spatial softmax temperature (``map_norm='softmax'``).
        match: ``'mse'`` (mean squared difference of the maps) or ``'kl'``
            (``KL(teacher || student)`` of spatial softmax maps, summed over
            pixels, averaged over images, times ``temperature**2``;
            requires ``map_norm='softmax'``).
        mode: ``'random'`` picks one pair per call (iteration-wise random
            selection); ``'all'`` averages every candidate pair.
        student_stages / teacher_stages: stage indices allowed in the pairs
            (negative indices allowed); ``None`` = every stage.
        pairs: explicit list of ``(student_stage, teacher_stage)`` pairs; when
            given it replaces the product of the two stage lists.
        resize_to: ``'student'`` | ``'teacher'`` (the size of that network's
            chosen stage) or an ``(h, w)`` tuple.
        seed: seed of the private generator of the random selection;
            ``None``: the run's seed. The global generators are never drawn
            from (see :func:`~mmkd_rs.engine.rng_state_hook.private_generator`).
        num_positions: with ``match='mse'``, compare only this many pixel
            positions of the common grid, drawn at random each call (the same
            positions for every image); ``None`` compares every position.
        log_pair: write the chosen stages to the message hub
            (``train/bfdd_student_stage``, ``train/bfdd_teacher_stage``).
        loss_weight: multiplier of the returned loss.
        eps: numerical floor of the max / mean normalisation.
    """

    def __init__(self,
                 distance: str = 'l2',
                 normalize_features: bool = False,
                 map_norm: str = 'max',
                 temperature: float = 1.0,
                 match: str = 'mse',
                 mode: str = 'random',
                 student_stages: Optional[Sequence[int]] = None,
                 teacher_stages: Optional[Sequence[int]] = None,
                 pairs: Optional[Sequence[Sequence[int]]] = None,
                 resize_to: Union[str, Sequence[int]] = 'student',
                 seed: Optional[int] = None,
                 num_positions: Optional[int] = None,
                 log_pair: bool = False,
                 loss_weight: float = 1.0,
                 eps: float = 1e-6) -> None:
        super().__init__()
        for key, value, allowed in (('distance', distance, DISTANCES),
                                    ('map_norm', map_norm, MAP_NORMS),
                                    ('match', match, MATCHES), ('mode', mode, MODES)):
            if value not in allowed:
                raise ValueError(f'{type(self).__name__}: {key}={value!r}; '
                                 f'expected one of {allowed}')
        if num_positions is not None and (match != 'mse' or num_positions < 1):
            raise ValueError(f'{type(self).__name__}: num_positions={num_positions} needs '
                             f"match='mse' and a value >= 1 (got match={match!r})")
        if match == 'kl' and map_norm != 'softmax':
            raise ValueError(f"{type(self).__name__}: match='kl' compares spatial distributions "
                             f"and needs map_norm='softmax', got map_norm={map_norm!r}")
        if temperature <= 0:
            raise ValueError(f'{type(self).__name__}: temperature must be > 0, got {temperature}')
        if not (resize_to in ('student', 'teacher') or
                (isinstance(resize_to, (tuple, list)) and len(resize_to) == 2)):
            raise ValueError(f"{type(self).__name__}: resize_to must be 'student', 'teacher' "
                             f'or an (h, w) pair, got {resize_to!r}')
        self.distance = distance
        self.normalize_features = normalize_features
        self.map_norm = map_norm
        self.temperature = float(temperature)
        self.match = match
        self.mode = mode
        self.student_stages = None if student_stages is None else list(student_stages)
        self.teacher_stages = None if teacher_stages is None else list(teacher_stages)
        self.pairs = None if pairs is None else [tuple(p) for p in pairs]
        self.resize_to = resize_to if isinstance(resize_to, str) else tuple(resize_to)
        self.num_positions = num_positions
        self.log_pair = log_pair
        self.loss_weight = loss_weight
        self.eps = eps
        self.generator = private_generator(seed)
        self.last_pair: Optional[Tuple[int, int]] = None

    def candidate_pairs(self, num_student: int, num_teacher: int) -> List[Tuple[int, int]]:
        """All allowed ``(student_stage, teacher_stage)`` pairs, non-negative indices."""

        def resolve(indices, count, who):
            out = []
            for i in indices:
                if not -count <= i < count:
                    raise IndexError(f'{type(self).__name__}: {who} stage {i} does not exist; '
                                     f'the {who} features have {count} stages')
                out.append(i % count)
            return out

        if self.pairs is not None:
            s_idx = resolve([p[0] for p in self.pairs], num_student, 'student')
            t_idx = resolve([p[1] for p in self.pairs], num_teacher, 'teacher')
            return list(zip(s_idx, t_idx))
        s_pool = range(num_student) if self.student_stages is None else self.student_stages
        t_pool = range(num_teacher) if self.teacher_stages is None else self.teacher_stages
        return list(itertools.product(resolve(s_pool, num_student, 'student'),
                                      resolve(t_pool, num_teacher, 'teacher')))

    def select_pairs(self, num_student: int, num_teacher: int) -> List[Tuple[int, int]]:
        """Pairs compared in this call: one random pair, or all of them."""
        pairs = self.candidate_pairs(num_student, num_teacher)
        if self.mode == 'all':
            return pairs
        index = int(torch.randint(len(pairs), (1, ), generator=self.generator))
        return [pairs[index]]

    def pair_loss(self, dist_s: torch.Tensor, dist_t: torch.Tensor) -> torch.Tensor:
        """Loss of one stage pair from its ``[B, h, w]`` distance maps (unweighted scalar)."""
        if dist_s.shape[0] != dist_t.shape[0]:
            raise ValueError(f'{type(self).__name__}: student has {dist_s.shape[0]} image pairs, '
                             f'teacher {dist_t.shape[0]}')
        if self.resize_to == 'student':
            size = dist_s.shape[-2:]
        elif self.resize_to == 'teacher':
            size = dist_t.shape[-2:]
        else:
            size = self.resize_to
        dist_s = self._resize(dist_s, size)
        dist_t = self._resize(dist_t, size)
        if self.match == 'kl':  # map_norm is 'softmax': KL of the spatial distributions
            log_p_s = F.log_softmax(dist_s.flatten(1) / self.temperature, dim=1)
            log_p_t = F.log_softmax(dist_t.flatten(1) / self.temperature, dim=1)
            kl = F.kl_div(log_p_s, log_p_t, reduction='sum', log_target=True)
            return kl / dist_s.shape[0] * self.temperature**2
        map_s = normalize_map(dist_s, self.map_norm, self.temperature, self.eps)
        map_t = normalize_map(dist_t, self.map_norm, self.temperature, self.eps)
        if self.num_positions is not None and self.num_positions < map_s[0].numel():
            keep = torch.randperm(map_s[0].numel(), generator=self.generator)
            keep = keep[:self.num_positions].to(map_s.device)
            map_s, map_t = map_s.flatten(1)[:, keep], map_t.flatten(1)[:, keep]
        return F.mse_loss(map_s, map_t)

    @staticmethod
    def _resize(dist: torch.Tensor, size) -> torch.Tensor:
        if tuple(dist.shape[-2:]) == tuple(size):
            return dist
        return F.interpolate(dist[:, None], size=tuple(size), mode='bilinear',
                             align_corners=False)[:, 0]

    def forward(self, preds_S: Features, preds_T: Features) -> torch.Tensor:
        """Compute the BFDD loss.

        Args:
            preds_S: student features, a ``[2B, C_s, h, w]`` tensor or a tuple
                of them (one per stage).
            preds_T: teacher features, same convention; channels and sizes may
                differ from the student's.

        Returns:
            Float32 scalar loss, times ``loss_weight``; computed in float32
            whatever the feature dtype or autocast state.
        """
        feats_s = as_stage_tuple(preds_S, f'{type(self).__name__}.preds_S')
        feats_t = as_stage_tuple(preds_T, f'{type(self).__name__}.preds_T')
        pairs = self.select_pairs(len(feats_s), len(feats_t))
        self.last_pair = pairs[0] if len(pairs) == 1 else None
        if self.log_pair and self.last_pair is not None:
            hub = MessageHub.get_current_instance()
            hub.update_scalar('train/bfdd_student_stage', self.last_pair[0])
            hub.update_scalar('train/bfdd_teacher_stage', self.last_pair[1])
        # Float32 with autocast off: under AMP the features are fp16 / bf16, and
        # squared map differences (map_norm='none') overflow fp16 past 65504 while
        # bf16 keeps 8 mantissa bits of every distance.
        with torch.autocast(device_type=feats_s[0].device.type, enabled=False):
            # One distance map per used stage, shared by the pairs that use it.
            dists_s = {i: bitemporal_distance(feats_s[i], self.distance,
                                              self.normalize_features,
                                              f'{type(self).__name__}.preds_S[{i}]')
                       for i in sorted({s for s, _ in pairs})}
            dists_t = {i: bitemporal_distance(feats_t[i].detach(), self.distance,
                                              self.normalize_features,
                                              f'{type(self).__name__}.preds_T[{i}]')
                       for i in sorted({t for _, t in pairs})}
            loss = sum(self.pair_loss(dists_s[s], dists_t[t]) for s, t in pairs) / len(pairs)
        return self.loss_weight * loss
