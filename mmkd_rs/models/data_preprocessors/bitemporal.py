"""Data preprocessor for bi-temporal (change detection) inputs."""
from numbers import Number
from typing import Any, Dict, Optional, Sequence

import torch
from mmseg.models.data_preprocessor import SegDataPreProcessor

from mmkd_rs.registry import MODELS
from mmkd_rs.utils.errors import DataFileError


@MODELS.register_module()
class BiTemporalDataPreProcessor(SegDataPreProcessor):
    """mmseg ``SegDataPreProcessor`` normalising each date with its own statistics.

    Inputs are ``[Ca + Cb, H, W]`` tensors (date A channels first) packed by
    ``PackBiTemporalInputs``. The output ``inputs`` is ``[B, Ca + Cb, H', W']``
    (float32, each date ``(x - mean) / std``), padded to ``size`` /
    ``size_divisor`` like mmseg (labels padded with ``seg_pad_val``).

    Args:
        mean (Sequence[Sequence[float]]): ``(mean_A, mean_B)``, one value per
            band of each date (image units, e.g. 0-255 for 8-bit).
        std (Sequence[Sequence[float]]): ``(std_A, std_B)`` alike.
        size, size_divisor, pad_val, seg_pad_val, test_cfg: as in
            ``SegDataPreProcessor``.

    Date band counts come from ``mean``; a batch whose channel count or
    ``channels_per_date`` metainfo disagrees raises ``ValueError`` (a user
    error naming the sample's file).
    """

    def __init__(self,
                 mean: Sequence[Sequence[Number]],
                 std: Sequence[Sequence[Number]],
                 size: Optional[tuple] = None,
                 size_divisor: Optional[int] = None,
                 pad_val: Number = 0,
                 seg_pad_val: Number = 255,
                 test_cfg: Optional[dict] = None):
        if len(mean) != 2 or len(std) != 2 or any(isinstance(m, Number) for m in mean):
            raise ValueError('BiTemporalDataPreProcessor: mean and std must be '
                             '(per-band values of date A, per-band values of date B), '
                             f'got mean={mean}, std={std}')
        for date, (m, s) in enumerate(zip(mean, std)):
            if len(m) != len(s):
                raise ValueError(f'date {"AB"[date]}: {len(m)} means but {len(s)} stds')
        self.channels_per_date = (len(mean[0]), len(mean[1]))
        super().__init__(
            mean=list(mean[0]) + list(mean[1]), std=list(std[0]) + list(std[1]),
            size=size, size_divisor=size_divisor, pad_val=pad_val, seg_pad_val=seg_pad_val,
            test_cfg=test_cfg)

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        expected = sum(self.channels_per_date)
        for i, inputs in enumerate(data['inputs']):
            if inputs.shape[0] != expected:
                raise DataFileError(
                    f'{self._describe(data, i)}: {inputs.shape[0]} input channels, but the '
                    f'data preprocessor normalises {self.channels_per_date} bands per date')
        for i, sample in enumerate(data.get('data_samples') or []):
            per_date = sample.metainfo.get('channels_per_date')
            if per_date is not None and tuple(per_date) != self.channels_per_date:
                raise DataFileError(
                    f'{self._describe(data, i)}: channels_per_date {tuple(per_date)} differs '
                    f'from the data preprocessor\'s {self.channels_per_date}')
        return super().forward(data, training)

    @staticmethod
    def _describe(data: dict, index: int) -> str:
        samples = data.get('data_samples') or []
        if index < len(samples):
            return str(samples[index].metainfo.get('img_path', f'sample {index}'))
        return f'sample {index}'

    @staticmethod
    def split_dates(inputs: torch.Tensor, channels_per_date: Sequence[int]) -> tuple:
        """Split ``[B, Ca + Cb, H, W]`` into ``([B, Ca, H, W], [B, Cb, H, W])``."""
        return torch.split(inputs, list(channels_per_date), dim=1)
