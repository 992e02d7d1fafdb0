"""Complexity and speed of a config's student (and teacher), as stored in
result records: ``complexity`` (params, FLOPs at the config's crop size) and
``speed`` (FPS on CPU, on CUDA when available, teacher forward cost).
"""
from typing import Optional, Sequence

import torch

from .complexity import count_flops, count_params, measure_forward_ms, measure_fps
from .dummy_inputs import default_input_hw, infer_in_channels
from .model_parts import build_model_part, is_distill_config

__all__ = ['load_config', 'measure_config']


def load_config(config: str, cfg_options: Optional[dict] = None):
    """Config with options merged (the teacher checkpoint option is harmless:
    measurements build networks without loading weights)."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(dict(cfg_options))
    return cfg


def _train_batch_size(cfg) -> int:
    loader = cfg.get('train_dataloader') or {}
    return int(loader.get('batch_size', 1))


def measure_config(config: str, cfg_options: Optional[dict] = None,
                   with_teacher: Optional[bool] = None, shape: Optional[Sequence[int]] = None,
                   fps_warmup: int = 5, fps_repeat: int = 20) -> dict:
    """Measure the student of ``config`` (and the teacher's training cost).

    Args:
        config: config path.
        cfg_options: options merged into the config.
        with_teacher: also time the teacher's no-grad forward on a training
            batch (``train_dataloader.batch_size`` images); default: when the
            config is a distillation config.
        shape: (H, W); default :func:`default_input_hw` of the config.
        fps_warmup / fps_repeat: untimed / timed passes for FPS.

    Returns:
        dict(complexity=dict(params, flops, input_shape, model),
             speed=dict(fps_cpu, cpu_threads, fps_gpu, gpu_device,
                        teacher_forward_ms, teacher_batch_size, teacher_device))
    """
    cfg = load_config(config, cfg_options)
    hw = tuple(shape) if shape else default_input_hw(cfg)
    if with_teacher is None:
        with_teacher = is_distill_config(cfg)
    student = build_model_part(cfg, 'student', device='cpu')
    channels = infer_in_channels(student)
    complexity = dict(model='student', params=count_params(student),
                      flops=count_flops(student, (channels, *hw)),
                      input_shape=[channels, *hw])
    cpu = measure_fps(student, (channels, *hw), fps_warmup, fps_repeat)
    speed = dict(fps_cpu=cpu['fps'], cpu_threads=cpu['threads'], fps_gpu=None,
                 gpu_device=None, teacher_forward_ms=None, teacher_batch_size=None,
                 teacher_device=None)
    cuda = torch.cuda.is_available()
    if cuda:
        gpu = measure_fps(student.to('cuda'), (channels, *hw), fps_warmup, fps_repeat)
        speed.update(fps_gpu=gpu['fps'], gpu_device=gpu['device_name'])
    del student
    if with_teacher:
        device = 'cuda' if cuda else 'cpu'
        teacher = build_model_part(cfg, 'teacher', device=device)
        batch = _train_batch_size(cfg)
        speed.update(teacher_forward_ms=measure_forward_ms(teacher, hw, batch),
                     teacher_batch_size=batch, teacher_device=device,
                     teacher_params=count_params(teacher))
    return dict(complexity=complexity, speed=speed)
