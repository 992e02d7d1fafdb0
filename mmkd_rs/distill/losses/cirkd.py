"""Cross-image relational knowledge distillation (Yang et al., CVPR 2022)."""
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from mmengine.dist import all_gather
from torch import Tensor, nn

from mmkd_rs.engine.rng_state_hook import private_generator
from mmkd_rs.registry import MODELS

from .ifvd import resize_labels
from .utils import match_size


def similarity_kl(logits_S: Tensor, logits_T: Tensor, temperature: float = 1.0) -> Tensor:
    """``KL(softmax(t / T) || softmax(s / T))`` per row, summed over columns, mean over rows."""
    log_p_s = F.log_softmax(logits_S / temperature, dim=-1)
    log_p_t = F.log_softmax(logits_T / temperature, dim=-1)
    return (log_p_t.exp() * (log_p_t - log_p_s)).sum(-1).mean()


@MODELS.register_module()
class CIRKDLoss(nn.Module):
    """Pixel-to-pixel and pixel-to-region relations across images, as distributions.

    With ``f`` the L2-normalised pixel embeddings and ``tau`` the similarity
    temperature:

    * ``batch_pixel`` (mini-batch pixel-to-pixel): for every ordered pair of
      images ``(i, j)`` of the batch, row ``p`` of ``f_i^T f_j / tau`` is a
      distribution over the pixels of ``j``;
      ``mean_{i,j} mean_p KL(P_T || P_S)`` (each network's own embeddings).
    * ``memory_pixel`` / ``memory_region``: the projected student embedding
      and the teacher embedding of each labelled pixel against embeddings
      sampled from class-wise memory banks of *teacher* pixel embeddings and
      teacher region (per-image class mean) embeddings: ``logits = f_a^T
      Q / tau``; ``kd_temperature^2 * mean_a KL(softmax(z_T / T) ||
      softmax(z_S / T))``.

    Returned as a dict ``{batch_pixel, memory_pixel, memory_region}``, each
    multiplied by its weight. Each forward pushes the batch's teacher
    embeddings into the banks (``pixel_update_freq`` random pixels and the
    class mean, per image and class present) before sampling them. The
    projection head (1x1 conv, BN, ReLU, 1x1 conv to the teacher's
    channels) trains with the student; the banks are buffers (saved in
    checkpoints).

    Args:
        num_classes (int): classes of the labels.
        student_channels (int): channels of the student embedding.
        teacher_channels (int): channels of the teacher embedding.
        temperature (float): ``tau`` of the similarities (paper 0.1).
        kd_temperature (float): ``T`` of the memory terms (paper 1.0).
        batch_pixel_weight, memory_pixel_weight, memory_region_weight (float):
            term weights (paper 1.0, 0.1, 0.1).
        pixel_memory_size, region_memory_size (int): bank entries per
            class (paper 20000, 2000).
        pixel_contrast_size, region_contrast_size (int): bank entries
            sampled per forward, in total; ``size // num_classes + 1`` per
            class, as the paper's code (paper 4096, 1024).
        pixel_update_freq (int): pixels pushed per image and class (16).
        batch_pool (int): average-pool both embeddings by this factor for
            the ``batch_pixel`` term (1 = none; the paper's code has 2 as
            an option). Its cost grows as ``(H*W)^2`` per image pair.
        max_anchors (int, optional): labelled pixels drawn at random as
            anchors of the memory terms (None = all, as the paper).
        ignore_index (int): label value of unlabelled pixels.
        seed (int, optional): seed of the private generator of the random
            picks (queued pixels, bank samples, anchors); ``None``: the run's
            seed (the global generators are never drawn from, see
            :func:`~mmkd_rs.engine.rng_state_hook.private_generator`). The
            banks start from the global generator like any parameter.
    """

    def __init__(self, num_classes: int, student_channels: int, teacher_channels: int,
                 temperature: float = 0.1, kd_temperature: float = 1.0,
                 batch_pixel_weight: float = 1.0, memory_pixel_weight: float = 0.1,
                 memory_region_weight: float = 0.1, pixel_memory_size: int = 20000,
                 region_memory_size: int = 2000, pixel_contrast_size: int = 4096,
                 region_contrast_size: int = 1024, pixel_update_freq: int = 16,
                 batch_pool: int = 1, max_anchors: Optional[int] = None,
                 ignore_index: int = 255, seed: Optional[int] = None):
        super().__init__()
        if temperature <= 0 or kd_temperature <= 0:
            raise ValueError(f'CIRKDLoss: temperatures must be > 0, got {temperature}, '
                             f'{kd_temperature}')
        self.num_classes = num_classes
        self.temperature = temperature
        self.kd_temperature = kd_temperature
        self.weights = dict(batch_pixel=batch_pixel_weight, memory_pixel=memory_pixel_weight,
                            memory_region=memory_region_weight)
        self.pixel_contrast = min(pixel_contrast_size // num_classes + 1, pixel_memory_size)
        self.region_contrast = min(region_contrast_size // num_classes + 1, region_memory_size)
        self.pixel_update_freq = pixel_update_freq
        self.batch_pool = batch_pool
        self.max_anchors = max_anchors
        self.ignore_index = ignore_index
        self.generator = private_generator(seed)
        self.project_head = nn.Sequential(
            nn.Conv2d(student_channels, teacher_channels, 1, bias=False),
            nn.BatchNorm2d(teacher_channels), nn.ReLU(inplace=True),
            nn.Conv2d(teacher_channels, teacher_channels, 1, bias=False))
        self.register_buffer('pixel_queue', F.normalize(
            torch.randn(num_classes, pixel_memory_size, teacher_channels), dim=2))
        self.register_buffer('region_queue', F.normalize(
            torch.randn(num_classes, region_memory_size, teacher_channels), dim=2))
        self.register_buffer('pixel_ptr', torch.zeros(num_classes, dtype=torch.long))
        self.register_buffer('region_ptr', torch.zeros(num_classes, dtype=torch.long))

    def randperm(self, n: int, device) -> Tensor:
        """A random permutation of ``range(n)`` from the private generator."""
        return torch.randperm(n, generator=self.generator).to(device)

    # ------------------------------------------------------------- batch term
    def batch_pixel_loss(self, feat_S: Tensor, feat_T: Tensor) -> Tensor:
        """Mini-batch pixel-to-pixel term on ``[N, C, H, W]`` embeddings."""
        if self.batch_pool > 1:
            feat_S = F.avg_pool2d(feat_S, self.batch_pool, ceil_mode=True)
            feat_T = F.avg_pool2d(feat_T, self.batch_pool, ceil_mode=True)
        f_s = F.normalize(feat_S.flatten(2), dim=1).transpose(1, 2)   # [N, HW, C]
        f_t = F.normalize(feat_T.flatten(2), dim=1).transpose(1, 2)
        n = f_s.shape[0]
        total = f_s.new_zeros(())
        for i in range(n):  # one image against all: memory grows with N, not N^2
            sim_s = f_s[i] @ f_s.transpose(1, 2) / self.temperature  # [N, HW, HW]
            sim_t = f_t[i] @ f_t.transpose(1, 2) / self.temperature
            total = total + similarity_kl(sim_s, sim_t) * n
        return total / (n * n)

    # ---------------------------------------------------------- memory banks
    @torch.no_grad()
    def enqueue(self, feat_T: Tensor, labels: Tensor) -> None:
        """Push normalised teacher embeddings ``[N, C, H, W]`` of each class present."""
        feat_T = torch.cat(all_gather(feat_T.contiguous()))
        labels = torch.cat(all_gather(labels.contiguous()))
        pixel_size, region_size = self.pixel_queue.shape[1], self.region_queue.shape[1]
        for feat, label in zip(feat_T.flatten(2), labels.flatten(1)):
            for k in label.unique().tolist():
                if not 0 <= k < self.num_classes:
                    continue
                members = feat[:, label == k]                                 # [C, P]
                self.region_queue[k, self.region_ptr[k]] = F.normalize(members.mean(1), dim=0)
                self.region_ptr[k] = (self.region_ptr[k] + 1) % region_size
                pick = self.randperm(members.shape[1], feat.device)
                pick = pick[:self.pixel_update_freq]
                slots = (self.pixel_ptr[k] + torch.arange(len(pick), device=feat.device))
                self.pixel_queue[k, slots % pixel_size] = F.normalize(members[:, pick].t(), dim=1)
                self.pixel_ptr[k] = (self.pixel_ptr[k] + len(pick)) % pixel_size

    def sample_bank(self, queue: Tensor, per_class: int) -> Tensor:
        """``per_class`` random entries of every class of ``queue``: ``[K * per_class, C]``."""
        index = self.randperm(queue.shape[1], queue.device)[:per_class]
        return queue[:, index].flatten(0, 1)

    # --------------------------------------------------------------- forward
    def forward(self, preds_S: Tensor, preds_T: Tensor, gt_seg: Tensor) -> Dict[str, Tensor]:
        """
        Args:
            preds_S (Tensor): student embeddings ``[N, Cs, H, W]``.
            preds_T (Tensor): teacher embeddings ``[N, Ct, h, w]`` (resized
                bilinearly to ``H, W`` if different).
            gt_seg (Tensor): labels ``[N, H', W']`` (resized nearest).

        Returns:
            dict: ``batch_pixel``, ``memory_pixel``, ``memory_region``
            (weighted scalars).
        """
        feat_T = match_size(preds_T.detach(), preds_S.shape[-2:]).to(preds_S.dtype)
        labels = resize_labels(gt_seg, preds_S.shape[-2:])
        losses = dict(batch_pixel=self.batch_pixel_loss(preds_S, feat_T))

        proj_S = F.normalize(self.project_head(preds_S), dim=1)
        norm_T = F.normalize(feat_T, dim=1)
        self.enqueue(norm_T, labels)
        valid = ((labels >= 0) & (labels < self.num_classes)
                 & (labels != self.ignore_index)).flatten()
        anchors_S = proj_S.permute(0, 2, 3, 1).flatten(0, 2)[valid]          # [A, Ct]
        anchors_T = norm_T.permute(0, 2, 3, 1).flatten(0, 2)[valid]
        if self.max_anchors is not None and len(anchors_S) > self.max_anchors:
            pick = self.randperm(len(anchors_S), anchors_S.device)[:self.max_anchors]
            anchors_S, anchors_T = anchors_S[pick], anchors_T[pick]
        if len(anchors_S) == 0:
            zero = proj_S.sum() * 0.0
            losses.update(memory_pixel=zero, memory_region=zero)
        else:
            for name, queue, size in (('memory_pixel', self.pixel_queue, self.pixel_contrast),
                                      ('memory_region', self.region_queue,
                                       self.region_contrast)):
                bank = self.sample_bank(queue, size).to(anchors_S.dtype)
                kl = similarity_kl(anchors_S @ bank.t() / self.temperature,
                                   anchors_T @ bank.t() / self.temperature,
                                   self.kd_temperature)
                losses[name] = kl * self.kd_temperature ** 2
        return {k: v * self.weights[k] for k, v in losses.items()}
