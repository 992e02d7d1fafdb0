"""Params, FLOPs and speed of a built segmentor.

FLOPs come from :mod:`mmengine.analysis` (tracing ``model(inputs)``, i.e.
``mode='tensor'``; one multiply-add counts as one FLOP), for one image.
Speed is timed on ``mode='predict'`` (what inference runs) after a warm-up,
with ``torch.cuda.synchronize`` around each timed call on CUDA.
"""
import time
from typing import Optional, Sequence

import torch
from mmengine.analysis import FlopAnalyzer

from .dummy_inputs import build_dummy_batch, infer_in_channels

__all__ = ['count_params', 'count_flops', 'time_forward', 'measure_fps',
           'measure_forward_ms', 'model_device']


def model_device(model) -> torch.device:
    """Device of the model's first parameter (CPU for a parameter-free model)."""
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device('cpu')


def count_params(model, trainable_only: bool = False) -> int:
    """Number of parameters (shared tensors counted once)."""
    seen, total = set(), 0
    for param in model.parameters():
        if id(param) in seen or (trainable_only and not param.requires_grad):
            continue
        seen.add(id(param))
        total += param.numel()
    return int(total)


def count_flops(model, input_shape: Sequence[int]) -> int:
    """FLOPs of one forward pass (``mode='tensor'``) of one image.

    Args:
        model: a built segmentor in eval mode.
        input_shape: ``(H, W)`` or ``(C, H, W)``; C is inferred from the model
            when omitted (e.g. 6 for a 3+3-band bi-temporal model).
    """
    *channels, h, w = input_shape
    channels = channels[0] if channels else infer_in_channels(model)
    data = build_dummy_batch(model, (h, w), batch_size=1, channels=channels)
    analyzer = FlopAnalyzer(model, inputs=(data['inputs'], ))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    analyzer.tracer_warnings('none')
    with torch.no_grad():
        return int(analyzer.total())


def _sync(device: torch.device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def time_forward(model, data: dict, mode: str = 'predict', warmup: int = 5,
                 repeat: int = 20) -> list:
    """Seconds per call of ``model(**data, mode=mode)``, ``repeat`` timings
    after ``warmup`` untimed calls, under ``torch.no_grad``."""
    if repeat < 1 or warmup < 0:
        raise ValueError(f'need repeat >= 1 and warmup >= 0, got {repeat}, {warmup}')
    device = model_device(model)
    timings = []
    with torch.no_grad():
        for i in range(warmup + repeat):
            _sync(device)
            start = time.perf_counter()
            model(data['inputs'], data.get('data_samples'), mode=mode)
            _sync(device)
            if i >= warmup:
                timings.append(time.perf_counter() - start)
    return timings


def measure_fps(model, input_shape: Sequence[int], warmup: int = 5, repeat: int = 20,
                channels: Optional[int] = None) -> dict:
    """Images per second at batch size 1 on the model's device.

    Returns:
        dict with ``fps`` (1 / median seconds per image), ``ms_per_img``
        (median), ``device`` ('cpu'/'cuda'), ``threads`` (torch CPU threads)
        and ``device_name`` (CUDA device name or None).
    """
    *given, h, w = input_shape
    channels = channels or (given[0] if given else None)
    data = build_dummy_batch(model, (h, w), batch_size=1, channels=channels)
    timings = sorted(time_forward(model, data, 'predict', warmup, repeat))
    median = timings[len(timings) // 2]
    device = model_device(model)
    return dict(fps=1.0 / median, ms_per_img=1000.0 * median, device=device.type,
                threads=torch.get_num_threads(),
                device_name=torch.cuda.get_device_name(device) if device.type == 'cuda'
                else None)


def measure_forward_ms(model, input_shape: Sequence[int], batch_size: int, warmup: int = 2,
                       repeat: int = 5) -> float:
    """Median ms of one no-grad ``mode='tensor'`` forward of a training-size
    batch: the teacher's cost per distillation iteration."""
    *given, h, w = input_shape
    data = build_dummy_batch(model, (h, w), batch_size=batch_size,
                             channels=given[0] if given else None)
    timings = sorted(time_forward(model, data, 'tensor', warmup, repeat))
    return 1000.0 * timings[len(timings) // 2]
