"""Data preprocessor for paired modalities (student ``inputs``, teacher
``teacher_inputs``), each normalised with its own statistics."""
from numbers import Number
from typing import Any, Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from mmseg.models.data_preprocessor import SegDataPreProcessor

from mmkd_rs.registry import MODELS


def _check_channels(name: str, inputs: Sequence[torch.Tensor],
                    mean: Optional[torch.Tensor]) -> None:
    if mean is None:
        return
    for i, x in enumerate(inputs):
        if x.shape[0] != mean.numel():
            raise ValueError(
                f'{name}[{i}] has {x.shape[0]} channel(s) but the data '
                f'preprocessor has {mean.numel()} mean/std values for it.')


@MODELS.register_module()
class PairedModalityDataPreProcessor(SegDataPreProcessor):
    """``SegDataPreProcessor`` for the student plus a second, independent
    normalisation of the teacher modality.

    ``inputs`` (student, e.g. 4-band SAR in dB) are handled exactly as by
    mmseg's ``SegDataPreProcessor`` (``mean`` / ``std``, padding, label
    padding). ``teacher_inputs`` (e.g. 3-band EO, any channel count) are
    normalised with ``teacher_mean`` / ``teacher_std`` and padded
    bottom-right with ``teacher_pad_val`` to the student's batch size
    ``(H, W)``. Each teacher image must have its student image's size.

    Returns:
        dict: ``inputs`` [B, Cs, H, W], ``data_samples`` and, only when the
        batch carries them, ``teacher_inputs`` [B, Ct, H, W].
    """

    def __init__(self,
                 mean: Optional[Sequence[Number]] = None,
                 std: Optional[Sequence[Number]] = None,
                 teacher_mean: Optional[Sequence[Number]] = None,
                 teacher_std: Optional[Sequence[Number]] = None,
                 teacher_pad_val: Number = 0,
                 **kwargs) -> None:
        super().__init__(mean=mean, std=std, **kwargs)
        if (teacher_mean is None) != (teacher_std is None):
            raise ValueError('Give both teacher_mean and teacher_std, or '
                             'neither.')
        self._teacher_normalize = teacher_mean is not None
        if self._teacher_normalize:
            if len(teacher_mean) != len(teacher_std):
                raise ValueError('teacher_mean and teacher_std differ in '
                                 'length.')
            self.register_buffer('teacher_mean', torch.tensor(
                teacher_mean, dtype=torch.float32).view(-1, 1, 1), False)
            self.register_buffer('teacher_std', torch.tensor(
                teacher_std, dtype=torch.float32).view(-1, 1, 1), False)
        self.teacher_pad_val = teacher_pad_val

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        _check_channels('inputs', data['inputs'],
                        self.mean if self._enable_normalize else None)
        teacher = data.get('teacher_inputs')
        student_sizes = [x.shape[-2:] for x in data['inputs']]
        out = super().forward(
            {k: v for k, v in data.items() if k != 'teacher_inputs'},
            training)
        if teacher is None:
            return out
        teacher = self.cast_data(list(teacher))
        if len(teacher) != len(student_sizes):
            raise ValueError(f'{len(teacher)} teacher_inputs for '
                             f'{len(student_sizes)} inputs.')
        _check_channels('teacher_inputs', teacher,
                        self.teacher_mean if self._teacher_normalize else None)
        height, width = out['inputs'].shape[-2:]
        padded = []
        for i, (x, size) in enumerate(zip(teacher, student_sizes)):
            if x.shape[-2:] != size:
                raise ValueError(
                    f'teacher_inputs[{i}] is {tuple(x.shape[-2:])} but its '
                    f'student input is {tuple(size)}; paired modalities '
                    'must share the pixel grid.')
            x = x.float()
            if self._teacher_normalize:
                x = (x - self.teacher_mean) / self.teacher_std
            padded.append(F.pad(x, (0, width - x.shape[-1], 0,
                                    height - x.shape[-2]),
                                value=self.teacher_pad_val))
        out['teacher_inputs'] = torch.stack(padded, dim=0)
        return out
