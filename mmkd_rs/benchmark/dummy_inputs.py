"""A dummy batch for any of our segmentors, made by the model's own
data preprocessor from fake packed inputs (what ``PackSegInputs`` yields).

Going through the preprocessor means normalisation, padding and channel
handling (e.g. bi-temporal inputs, each date normalised with its own
statistics) are those of real inference, and nothing about a model family is
hard-coded here except how the channel count is found.
"""
from typing import Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmseg.structures import SegDataSample

__all__ = ['infer_in_channels', 'infer_channels_per_date', 'default_input_hw',
           'fake_packed_batch', 'build_dummy_batch']


def _find_attr(model, name):
    for module in (model, getattr(model, 'backbone', None)):
        if module is not None and getattr(module, name, None) is not None:
            return getattr(module, name)
    return None


def infer_channels_per_date(model) -> Optional[Tuple[int, ...]]:
    """``in_channels_per_date`` of a bi-temporal model, else None."""
    per_date = _find_attr(model, 'in_channels_per_date')
    return tuple(int(c) for c in per_date) if per_date is not None else None


def infer_in_channels(model) -> int:
    """Channels of one packed input image (all dates together).

    Looked up in order: the model's ``in_channels_per_date`` (summed), the
    data preprocessor's ``mean`` (one value per channel), the backbone's
    ``in_channels``; 3 otherwise.
    """
    per_date = infer_channels_per_date(model)
    if per_date:
        return sum(per_date)
    preprocessor = getattr(model, 'data_preprocessor', None)
    mean = getattr(preprocessor, 'mean', None)
    if getattr(preprocessor, '_enable_normalize', True) and isinstance(mean, torch.Tensor):
        return int(mean.numel())
    backbone = getattr(model, 'backbone', None)
    in_channels = getattr(backbone, 'in_channels', None)
    if isinstance(in_channels, int):
        return in_channels
    return 3


def default_input_hw(cfg: Config) -> Tuple[int, int]:
    """(H, W) for measurements: the size one test-time forward pass sees.

    That is the sliding window (``model.test_cfg.crop_size`` with
    ``mode='slide'``, of the student for distillation configs), which is
    also the tile size of the quick suites' whole-tile evaluation; else the
    training ``crop_size``, else the data preprocessor's ``size``, else
    256 x 256.  The benchmark suites pass their ``evaluation.input_shape``.
    """
    model = cfg.get('model', {})
    owners = [model] + ([model['student']] if isinstance(model.get('student'), dict) else [])
    candidates = []
    for owner in owners:
        test_cfg = owner.get('test_cfg') or {}
        if test_cfg.get('mode') == 'slide':
            candidates.append(test_cfg.get('crop_size'))
    candidates.append(cfg.get('crop_size'))
    for owner in owners:
        preprocessor = owner.get('data_preprocessor') or {}
        candidates.append(preprocessor.get('size'))
    for size in candidates:
        if size is not None:
            h, w = size
            return int(h), int(w)
    return 256, 256


def fake_packed_batch(channels: int, hw: Sequence[int], batch_size: int = 1,
                      channels_per_date: Optional[Sequence[int]] = None,
                      seed: int = 0) -> dict:
    """What a dataloader yields: uint8-valued ``[C, H, W]`` tensors and data
    samples whose metainfo has the shapes (and ``channels_per_date``)."""
    h, w = int(hw[0]), int(hw[1])
    generator = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(batch_size):
        inputs.append(torch.randint(0, 256, (channels, h, w), generator=generator,
                                    dtype=torch.uint8))
        meta = dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w),
                    scale_factor=(1.0, 1.0), flip=False)
        if channels_per_date:
            meta['channels_per_date'] = tuple(int(c) for c in channels_per_date)
        samples.append(SegDataSample(metainfo=meta))
    return dict(inputs=inputs, data_samples=samples)


def build_dummy_batch(model, hw: Sequence[int], batch_size: int = 1,
                      channels: Optional[int] = None, device: Optional[str] = None,
                      training: bool = False) -> dict:
    """A preprocessed batch ready for ``model(**batch, mode=...)``.

    Args:
        model: a built segmentor (its ``data_preprocessor`` is used).
        hw: (H, W) of each image.
        batch_size: number of images.
        channels: total input channels; inferred by :func:`infer_in_channels`
            when None.
        device: where the batch goes; the model's device when None.
        training: passed to the preprocessor (training pads/stacks labels).

    Returns:
        dict with ``inputs`` ``[B, C, H, W]`` float and ``data_samples``.
    """
    per_date = infer_channels_per_date(model)
    channels = channels or infer_in_channels(model)
    batch = fake_packed_batch(channels, hw, batch_size, per_date)
    preprocessor = getattr(model, 'data_preprocessor', None)
    if preprocessor is None:
        raise ValueError(f'{type(model).__name__} has no data_preprocessor to build a batch')
    try:
        data = preprocessor(batch, training)
    except Exception as err:  # report which model/shape, not a deep trace
        raise RuntimeError(
            f'the data preprocessor of {type(model).__name__} '
            f'({type(preprocessor).__name__}) rejected a fake batch of {batch_size} x '
            f'[{channels}, {hw[0]}, {hw[1]}] (channels_per_date={per_date}): {err}') from err
    if device is not None:
        data['inputs'] = data['inputs'].to(device)
    return data
