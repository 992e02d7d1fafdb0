"""Road segmentation + connectivity head with intermediate supervision (Xu et al.)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.losses import accuracy
from mmseg.models.utils import resize

from mmkd_rs.registry import MODELS


def _tower(in_channels, channels, num_up):
    """``num_up`` x (4x4 stride-2 transposed conv + 3x3 conv, BN, ReLU)."""
    layers, c = [], in_channels
    for _ in range(num_up):
        layers += [nn.ConvTranspose2d(c, channels, 4, stride=2, padding=1, bias=False),
                   nn.BatchNorm2d(channels), nn.ReLU(inplace=True),
                   nn.Conv2d(channels, channels, 3, padding=1, bias=False),
                   nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]
        c = channels
    if not layers:
        layers = [nn.Conv2d(c, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels),
                  nn.ReLU(inplace=True)]
    return nn.Sequential(*layers)


@MODELS.register_module()
class RoadConnectivityHead(BaseDecodeHead):
    """Two towers (segmentation, connectivity) from one feature map to full
    resolution, plus intermediate segmentation/connectivity logits supervised too.

    Intermediate logits come either from the backbone (``intermediate_logit_index``:
    maps with ``num_classes + num_conn_classes`` channels, segmentation first, e.g.
    :class:`StackedHourglassGA`, whose trunk re-injects them) or from 1x1
    classifiers this head puts on backbone maps (``intermediate_in_index`` /
    ``intermediate_in_channels``: any mmseg backbone).

    Loss: ``loss_decode`` (segmentation, e.g. :class:`SoftIoULoss`) and
    ``loss_conn`` (e.g. :class:`ClassBalancedCrossEntropyLoss`), each summed over
    the final output and ``intermediate_loss_weight`` x every intermediate output
    (upsampled bilinearly to the label size). Connectivity labels are the
    ``gt_conn_map`` field of the data samples (255 = ignore); padded to the
    segmentation label size with 255.

    Args:
        in_channels (int): channels of the final feature map (``in_index``).
        channels (int): tower width.
        num_conn_classes (int): connectivity classes (5).
        upsample_factor (int): stride of the final feature map (power of 2);
            each tower has ``log2`` of it x2 stages.
        intermediate_logit_index (Sequence[int]): backbone outputs that are
            intermediate logits.
        intermediate_in_index (Sequence[int]): backbone outputs that get 1x1
            intermediate classifiers here, with ``intermediate_in_channels``.
        loss_conn (dict): connectivity loss config.
        intermediate_loss_weight (float): weight of every intermediate loss term.
        **kwargs: :class:`BaseDecodeHead` arguments (``num_classes``, ``in_index``,
            ``loss_decode``, ``dropout_ratio``, ...).
    """

    def __init__(self, in_channels, channels, num_conn_classes=5, upsample_factor=4,
                 intermediate_logit_index=(), intermediate_in_index=(),
                 intermediate_in_channels=(),
                 loss_conn=dict(type='ClassBalancedCrossEntropyLoss'),
                 intermediate_loss_weight=1.0, **kwargs):
        super().__init__(in_channels, channels, **kwargs)
        num_up = int(round(math.log2(upsample_factor)))
        if 2 ** num_up != upsample_factor:
            raise ValueError(f'upsample_factor must be a power of 2, got {upsample_factor}')
        if len(intermediate_in_index) != len(intermediate_in_channels):
            raise ValueError('intermediate_in_index and intermediate_in_channels differ in '
                             f'length: {intermediate_in_index} vs {intermediate_in_channels}')
        self.num_conn_classes = num_conn_classes
        self.intermediate_logit_index = tuple(intermediate_logit_index)
        self.intermediate_in_index = tuple(intermediate_in_index)
        self.intermediate_loss_weight = intermediate_loss_weight
        self.seg_tower = _tower(in_channels, channels, num_up)
        self.conn_tower = _tower(in_channels, channels, num_up)
        self.conv_conn = nn.Conv2d(channels, num_conn_classes, 1)
        self.intermediate_cls = nn.ModuleList(
            nn.Conv2d(c, self.out_channels + num_conn_classes, 1)
            for c in intermediate_in_channels)
        self.loss_conn = MODELS.build(loss_conn)

    def forward_multitask(self, inputs):
        """All outputs.

        Returns:
            dict: ``seg`` ``[B, num_classes, H, W]``, ``conn`` ``[B, num_conn_classes,
            H, W]`` (H, W = feature size x ``upsample_factor``) and
            ``intermediate``: list of ``(seg, conn)`` logits at their own size.
        """
        x = self._transform_inputs(inputs)
        seg = self.cls_seg(self.seg_tower(x))
        conn = self.conv_conn(self.conn_tower(x))
        split = [self.out_channels, self.num_conn_classes]
        logits = [inputs[i] for i in self.intermediate_logit_index]
        logits += [cls(inputs[i]) for cls, i in zip(self.intermediate_cls,
                                                    self.intermediate_in_index)]
        for i, t in zip(self.intermediate_logit_index, logits):
            if t.shape[1] != sum(split):
                raise ValueError(f'backbone output {i} has {t.shape[1]} channels, expected '
                                 f'{sum(split)} intermediate logits (seg + connectivity)')
        return dict(seg=seg, conn=conn, intermediate=[tuple(t.split(split, dim=1))
                                                      for t in logits])

    def forward(self, inputs):
        """Segmentation logits only (mmseg inference path)."""
        x = self._transform_inputs(inputs)
        return self.cls_seg(self.seg_tower(x))

    def loss(self, inputs, batch_data_samples, train_cfg):
        return self.loss_by_feat(self.forward_multitask(inputs), batch_data_samples)

    def _stack_conn_gt(self, batch_data_samples, size):
        labels = []
        for sample in batch_data_samples:
            if 'gt_conn_map' not in sample:
                raise KeyError(f'data sample of "{sample.metainfo.get("img_path")}" has no '
                               'gt_conn_map: add conn_path to the dataset data_prefix and use '
                               'LoadRoadAnnotations + PackRoadInputs in the pipeline')
            lab = sample.gt_conn_map.data
            pad_h, pad_w = size[0] - lab.shape[-2], size[1] - lab.shape[-1]
            labels.append(F.pad(lab, (0, pad_w, 0, pad_h), value=self.ignore_index))
        return torch.stack(labels).squeeze(1).long()

    def _loss_terms(self, losses, logits_list, label):
        out = {}
        for loss_fn in losses:
            total = 0.0
            for k, logits in enumerate(logits_list):
                logits = resize(logits, size=label.shape[1:], mode='bilinear',
                                align_corners=self.align_corners)
                w = 1.0 if k == 0 else self.intermediate_loss_weight
                total = total + w * loss_fn(logits, label, ignore_index=self.ignore_index)
            out[loss_fn.loss_name] = out.get(loss_fn.loss_name, 0.0) + total
        return out

    def loss_by_feat(self, outputs, batch_data_samples):
        seg_label = self._stack_batch_gt(batch_data_samples).squeeze(1).long()
        conn_label = self._stack_conn_gt(batch_data_samples, seg_label.shape[1:])
        seg_losses = (self.loss_decode if isinstance(self.loss_decode, nn.ModuleList)
                      else [self.loss_decode])
        inter = outputs['intermediate']
        losses = self._loss_terms(seg_losses, [outputs['seg']] + [s for s, _ in inter],
                                  seg_label)
        conn_losses = self._loss_terms([self.loss_conn],
                                       [outputs['conn']] + [c for _, c in inter], conn_label)
        if set(conn_losses) & set(losses):
            raise ValueError(f'loss_conn name {list(conn_losses)} clashes with loss_decode')
        losses.update(conn_losses)
        seg = resize(outputs['seg'], size=seg_label.shape[1:], mode='bilinear',
                     align_corners=self.align_corners)
        losses['acc_seg'] = accuracy(seg, seg_label, ignore_index=self.ignore_index)
        return losses

    def predict_multitask(self, inputs, batch_img_metas, test_cfg):
        """Segmentation and connectivity logits resized to ``img_shape``,
        concatenated on channels: ``[B, num_classes + num_conn_classes, H, W]``."""
        out = self.forward_multitask(inputs)
        logits = torch.cat([out['seg'], out['conn']], dim=1)
        return self.predict_by_feat(logits, batch_img_metas)
