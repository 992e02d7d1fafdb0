"""DisOptNet stage-2 SAR network: SAR branch + distillation branch + fusion head."""
import copy
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import ConfigDict
from mmengine.model import BaseModule
from mmseg.models.losses import accuracy
from mmseg.models.segmentors import EncoderDecoder
from mmseg.models.utils import resize
from mmseg.utils import add_prefix
from torch import Tensor, nn

from mmkd_rs.registry import MODELS


def head_forward(head: nn.Module, feats: Tuple[Tensor, ...]) -> Tuple[Tensor, Tensor]:
    """Run an mmseg decode head; return ``(decoder feature, logits)``.

    The decoder feature is the input of ``head.conv_seg`` (``[B, C, h, w]``),
    taken with a forward pre-hook so that any mmseg head works unchanged.
    """
    taken = []
    handle = head.conv_seg.register_forward_pre_hook(lambda m, args: taken.append(args[0]))
    try:
        logits = head(feats)
    finally:
        handle.remove()
    return taken[-1], logits


class BranchStages(BaseModule):
    """Deep ResNet stages of one branch, named as in the backbone (``layer3``, ...).

    Initialised like the backbone they were taken from (its ``init_cfg``:
    Kaiming, or ``Pretrained``, whose ``layerN.*`` keys then match).
    """

    def __init__(self, backbone: nn.Module, names: Sequence[str]):
        super().__init__(init_cfg=copy.deepcopy(backbone.init_cfg))
        self.names = list(names)
        for name in self.names:
            self.add_module(name, getattr(backbone, name))

    def forward(self, x: Tensor) -> List[Tensor]:
        """``[B, C, h, w]`` -> the output of every stage, in order."""
        outs = []
        for name in self.names:
            x = getattr(self, name)(x)
            outs.append(x)
        return outs


@MODELS.register_module()
class DisOptNet(EncoderDecoder):
    """The SAR network of DisOptNet (stage 2).

    * encoder stem + the first ``num_shared_stages`` ResNet stages are
      shared by two branches;
    * SAR branch: the backbone's remaining stages + ``decode_head``;
    * distillation branch: its own copy of the remaining stages
      (``distill_stages.layer3``, ...) + ``distill_head``; trained to mimic the frozen
      optical teacher by the distiller (teacher argmax, pixel KD, features);
    * ``fusion_head`` (e.g. ``DisOptNetFusionHead``) fuses the two decoder
      features into the logits used at inference: ``predict``/``tensor`` give
      the fused output only.

    Training losses of the network itself: ``decode.*`` (SAR-branch logits vs
    ground truth, the decode head's losses) and ``fuse.*`` (fused logits vs
    ground truth, ``loss_fuse``). The distillation branch gets no ground
    truth here; the distiller supervises it.

    Args:
        backbone (dict): a ResNet (mmseg ``ResNet``/``ResNetV1c``/...) config;
            every stage's output is used (``out_indices`` is ignored).
        decode_head (dict): SAR-branch decoder (any mmseg decode head).
        distill_head (dict): distillation-branch decoder (same layout as the
            teacher's, so that its feature can be matched).
        fusion_head (dict): takes ``(sar_feature, distill_feature)`` -> logits.
        num_shared_stages (int): ResNet stages shared by both branches (the
            stem is always shared); 1 <= value < number of stages.
        loss_fuse (dict | list[dict]): mmseg losses of the fused logits.
        train_cfg, test_cfg, data_preprocessor, pretrained, init_cfg: as for
            ``EncoderDecoder``.
    """

    def __init__(self, backbone: dict, decode_head: dict, distill_head: dict,
                 fusion_head: dict, num_shared_stages: int = 2,
                 loss_fuse=dict(type='CrossEntropyLoss', loss_weight=1.0),
                 train_cfg: Optional[dict] = None, test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None, pretrained: Optional[str] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(backbone=backbone, decode_head=decode_head,
                         train_cfg=ConfigDict(train_cfg or {}),
                         test_cfg=ConfigDict(test_cfg or dict(mode='whole')),
                         data_preprocessor=data_preprocessor, pretrained=pretrained,
                         init_cfg=init_cfg)
        stage_names = list(getattr(self.backbone, 'res_layers', []))
        if not stage_names:
            raise TypeError(f'DisOptNet: backbone must be an mmseg ResNet (with res_layers), '
                            f'got {type(self.backbone).__name__}')
        if not 1 <= num_shared_stages < len(stage_names):
            raise ValueError(f'DisOptNet: num_shared_stages must be in [1, '
                             f'{len(stage_names) - 1}], got {num_shared_stages}')
        self.num_shared_stages = num_shared_stages
        self.distill_stages = BranchStages(MODELS.build(backbone),
                                           stage_names[num_shared_stages:])
        self.distill_head = MODELS.build(distill_head)
        self.fusion_head = MODELS.build(fusion_head)
        losses = loss_fuse if isinstance(loss_fuse, (list, tuple)) else [loss_fuse]
        self.loss_fuse = nn.ModuleList(MODELS.build(c) for c in losses)
        for name, head in (('decode_head', self.decode_head),
                           ('distill_head', self.distill_head)):
            if getattr(head, 'dropout', None) is not None:
                raise ValueError(f'DisOptNet: {name} must have dropout_ratio=0: its '
                                 'decoder feature feeds the fusion head')

    # ------------------------------------------------------------- encoder
    def _stem(self, inputs: Tensor) -> Tensor:
        bb = self.backbone
        if bb.deep_stem:
            x = bb.stem(inputs)
        else:
            x = bb.relu(bb.norm1(bb.conv1(inputs)))
        return bb.maxpool(x)

    def encode_branches(self, inputs: Tensor) -> Tuple[Tuple[Tensor, ...], Tuple[Tensor, ...]]:
        """``inputs [B, C, H, W]`` -> (SAR-branch stages, distillation-branch stages).

        Both are tuples of all ResNet stage outputs, finest first; the first
        ``num_shared_stages`` entries are the same tensors.
        """
        x = self._stem(inputs)
        names = self.backbone.res_layers
        shared = []
        for name in names[:self.num_shared_stages]:
            x = getattr(self.backbone, name)(x)
            shared.append(x)
        sar, y = list(shared), x
        for name in names[self.num_shared_stages:]:
            y = getattr(self.backbone, name)(y)
            sar.append(y)
        distill = shared + self.distill_stages(x)
        return tuple(sar), tuple(distill)

    def extract_feat(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        """SAR-branch encoder features (all stages)."""
        return self.encode_branches(inputs)[0]

    def forward_branches(self, inputs: Tensor) -> Dict[str, Tensor]:
        """Logits ``[B, K, h, w]`` of the three outputs: ``sar``, ``aux``
        (distillation branch) and ``fused``."""
        sar_feats, distill_feats = self.encode_branches(inputs)
        sar_dec, sar_logits = head_forward(self.decode_head, sar_feats)
        distill_dec, aux_logits = head_forward(self.distill_head, distill_feats)
        fused = self.fusion_head(sar_dec, distill_dec)
        return dict(sar=sar_logits, aux=aux_logits, fused=fused)

    # ------------------------------------------------------------ outputs
    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        """Fused logits resized to the input size (used by ``predict``)."""
        fused = self.forward_branches(inputs)['fused']
        return resize(fused, size=inputs.shape[2:], mode='bilinear',
                      align_corners=self.align_corners)

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        """Fused logits at decoder resolution (``mode='tensor'``)."""
        return self.forward_branches(inputs)['fused']

    def loss(self, inputs: Tensor, data_samples: List) -> dict:
        """``decode.*`` (SAR branch) and ``fuse.*`` (fused output) vs ground truth."""
        out = self.forward_branches(inputs)
        losses = add_prefix(self.decode_head.loss_by_feat(out['sar'], data_samples), 'decode')
        losses.update(add_prefix(self.fused_loss(out['fused'], data_samples), 'fuse'))
        return losses

    def fused_loss(self, logits: Tensor, data_samples: List) -> Dict[str, Tensor]:
        """``loss_fuse`` on the fused logits, resized to the labels."""
        label = torch.stack([s.gt_sem_seg.data for s in data_samples])  # [B, 1, H, W]
        logits = resize(logits, size=label.shape[2:], mode='bilinear',
                        align_corners=self.align_corners)
        label = label.squeeze(1)
        ignore = self.decode_head.ignore_index
        losses: Dict[str, Tensor] = {}
        for loss in self.loss_fuse:
            value = loss(logits, label, ignore_index=ignore)
            losses[loss.loss_name] = losses.get(loss.loss_name, 0) + value
        losses['acc_seg'] = accuracy(logits, label, ignore_index=ignore)
        return losses
