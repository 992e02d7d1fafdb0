"""Params / FLOPs / FPS helpers and the analysis tools on tiny mmseg models."""
import copy
import importlib.util

import pytest
import torch
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config
from torch import nn

from _benchmark_paths import FIXTURES, REPO
from mmkd_rs.benchmark.complexity import (count_flops, count_params, measure_forward_ms,
                                          measure_fps)
from mmkd_rs.benchmark.dummy_inputs import build_dummy_batch, default_input_hw
from mmkd_rs.benchmark.model_parts import build_model_part, resolve_model_cfg
from mmkd_rs.distill.wiring import DistillConfigError
from mmkd_rs.engine.strict_loading import CheckpointMismatchError


def _tool(name):
    spec = importlib.util.spec_from_file_location(name, REPO / 'tools' / 'analysis' /
                                                  f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def tiny_cfg():
    return Config.fromfile(str(FIXTURES / 'tiny_seg.py'))


@pytest.fixture(scope='module')
def tiny(tiny_cfg):
    return build_model_part(tiny_cfg)


def test_count_params_by_hand():
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Conv2d(4, 2, 1, bias=False))
    # conv 3*4*3*3 + 4 bias, BN 2*4 affine, conv 4*2
    assert count_params(net) == 108 + 4 + 8 + 8
    net[0].weight.requires_grad_(False)
    assert count_params(net, trainable_only=True) == 4 + 8 + 8
    shared = nn.Sequential(net[2], net[2])
    assert count_params(shared) == 8  # a shared tensor counts once


def test_flops_match_mmengine_and_scale_with_area(tiny):
    flops32 = count_flops(tiny, (32, 32))
    data = build_dummy_batch(tiny, (32, 32))
    reference = get_model_complexity_info(tiny, inputs=(data['inputs'], ), show_table=False,
                                          show_arch=False)['flops']
    assert flops32 == reference > 0
    assert count_flops(tiny, (3, 64, 64)) == 4 * flops32  # conv nets: FLOPs ~ H x W


def test_dummy_batch_goes_through_the_preprocessor(tiny):
    data = build_dummy_batch(tiny, (32, 48), batch_size=2)
    assert data['inputs'].shape == (2, 3, 32, 48) and data['inputs'].dtype == torch.float32
    assert data['inputs'].abs().max() < 5  # normalised by mean/std (raw would be 0-255)
    assert data['data_samples'][0].metainfo['img_shape'] == (32, 48)


def test_six_channel_bitemporal_inputs(tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg.model.data_preprocessor.mean = [120.0] * 6
    cfg.model.data_preprocessor.std = [50.0] * 6
    cfg.model.backbone.in_channels = 6
    model = build_model_part(cfg)
    model.in_channels_per_date = (3, 3)
    data = build_dummy_batch(model, (32, 32))
    assert data['inputs'].shape == (1, 6, 32, 32)
    assert data['data_samples'][0].metainfo['channels_per_date'] == (3, 3)
    assert count_flops(model, (32, 32)) > count_flops(build_model_part(tiny_cfg), (32, 32))


def test_fps_and_forward_cost(tiny):
    result = measure_fps(tiny, (32, 32), warmup=1, repeat=3)
    assert result['fps'] > 0 and result['device'] == 'cpu'
    assert result['threads'] == torch.get_num_threads()
    assert result['fps'] == pytest.approx(1000.0 / result['ms_per_img'])
    assert measure_forward_ms(tiny, (32, 32), batch_size=2, warmup=0, repeat=2) > 0


def test_student_and_teacher_of_a_distill_config():
    cfg = Config.fromfile(str(FIXTURES / 'tiny_kd.py'))
    student_cfg = resolve_model_cfg(cfg, 'student')
    assert student_cfg.backbone.base_channels == 4
    assert student_cfg.data_preprocessor.type == 'SegDataPreProcessor'  # taken from the algorithm
    assert resolve_model_cfg(cfg, 'teacher').backbone.base_channels == 8
    assert default_input_hw(cfg) == (32, 32)
    with pytest.raises(ValueError, match='not a distillation config'):
        resolve_model_cfg(Config.fromfile(str(FIXTURES / 'tiny_seg.py')), 'teacher')


def test_teachers_are_read_as_the_algorithm_reads_them(tmp_path):
    cfg = Config.fromfile(str(FIXTURES / 'tiny_kd.py'))
    teacher_file = tmp_path / 'teacher.py'
    teacher_file.write_text(f'model = {cfg.teacher.to_dict()!r}\n')
    wide = copy.deepcopy(cfg.teacher)
    wide.backbone.base_channels = 16
    cfg.model.teacher = None
    cfg.model.teachers = dict(eo=dict(cfg=str(teacher_file), ckpt=None),
                              wide=dict(cfg=wide, weight=0.5))
    assert resolve_model_cfg(cfg, 'teacher', 0).backbone.base_channels == 8   # from the file
    assert resolve_model_cfg(cfg, 'teacher', 1).backbone.base_channels == 16
    with pytest.raises(IndexError, match='2 teacher'):
        resolve_model_cfg(cfg, 'teacher', 2)
    cfg.model.teachers = [dict(cfg=wide)]                 # the algorithm takes no list
    with pytest.raises(DistillConfigError, match='must be a dict'):
        resolve_model_cfg(cfg, 'teacher')
    cfg.model.teachers = dict(wide=dict(config=wide))     # nor keys it does not know
    with pytest.raises(DistillConfigError, match='config'):
        resolve_model_cfg(cfg, 'teacher')


def test_parts_load_from_a_distill_checkpoint_with_every_tensor_checked(tmp_path):
    cfg = Config.fromfile(str(FIXTURES / 'tiny_kd.py'))
    student, teacher = build_model_part(cfg), build_model_part(cfg, 'teacher')
    with torch.no_grad():
        for value, net in ((0.5, student), (0.25, teacher)):
            for p in net.parameters():
                p.fill_(value)
    state = {'student.' + k: v for k, v in student.state_dict().items()}
    state.update({'teachers.teacher.' + k: v for k, v in teacher.state_dict().items()})
    state['distiller.connectors.x.weight'] = torch.zeros(1)
    torch.save({'state_dict': state}, tmp_path / 'kd.pth')
    kd = str(tmp_path / 'kd.pth')
    loaded = build_model_part(cfg, checkpoint=kd)
    assert all(torch.equal(p, torch.full_like(p, 0.5)) for p in loaded.parameters())
    loaded = build_model_part(cfg, 'teacher', checkpoint=kd)
    assert all(torch.equal(p, torch.full_like(p, 0.25)) for p in loaded.parameters())
    # the student of a distillation config is a plain config's model
    assert all(torch.equal(p, torch.full_like(p, 0.5)) for p in build_model_part(
        Config(dict(model=resolve_model_cfg(cfg))), checkpoint=kd).parameters())
    # the teacher's network given the checkpoint's student is refused, naming the tensors
    with pytest.raises(CheckpointMismatchError, match=r'the student of this config: '
                       r'tensors of another shape: 121 \(e.g. backbone.stem.0.weight: '
                       r'checkpoint \[4, 3, 3, 3\] vs model \[8, 3, 3, 3\]'):
        build_model_part(Config(dict(model=resolve_model_cfg(cfg, 'teacher'))), checkpoint=kd)


def test_get_flops_and_benchmark_tools(capsys):
    kd = str(FIXTURES / 'tiny_kd.py')
    student = _tool('get_flops').main([kd, '--shape', '32', '32'])
    teacher = _tool('get_flops').main([kd, '--teacher'])
    assert student['params'] == 47270 and teacher['params'] > student['params']
    assert teacher['flops'] > student['flops'] > 0
    assert 'Flops:' in capsys.readouterr().out
    threads = torch.get_num_threads()
    try:
        result = _tool('benchmark').main([kd, '--repeat', '2', '--warmup', '1', '--threads',
                                          '1'])
    finally:
        torch.set_num_threads(threads)
    assert result['threads'] == 1 and result['fps'] > 0 and result['part'] == 'student'
    assert 'img/s' in capsys.readouterr().out
    counts = _tool('params').main([kd])
    assert counts == {'student': 47270, 'teacher': teacher['params']}


def test_default_size_is_the_test_window_not_the_training_crop(capsys):
    """Quick change-detection configs train on 128 px crops but test whole 256 px
    tiles in one 256 window: FLOPs are measured (and printed) at 256."""
    config = REPO / 'configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'
    cfg = Config.fromfile(str(config))
    assert tuple(cfg.crop_size) == (128, 128)
    assert default_input_hw(cfg) == (256, 256)
    spec = importlib.util.spec_from_file_location('get_flops',
                                                  REPO / 'tools/analysis/get_flops.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    result = tool.main([str(config)])
    assert result['input_shape'] == [6, 256, 256]
    assert 'Input shape: (6, 256, 256)' in capsys.readouterr().out
    at_crop = tool.main([str(config), '--shape', '128', '128'])
    assert at_crop['flops'] * 4 == pytest.approx(result['flops'], rel=0.01)
