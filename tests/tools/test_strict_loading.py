"""Checkpoints load strictly: another model's checkpoint is refused in one paragraph."""
import sys

import pytest
import torch
from conftest import REPO, run_tool
from mmengine.config import Config
from torch import nn

import mmkd_rs  # noqa: F401
from mmkd_rs.engine.strict_loading import CheckpointMismatchError, load_checkpoint_to_model


def _assert_user_error(res, *needles):
    assert res.returncode == 2, (res.returncode, res.stderr[-3000:])
    assert 'Traceback' not in res.stderr, res.stderr[-3000:]
    for needle in needles:
        assert needle in res.stderr, (needle, res.stderr[-3000:])


def _other_model_checkpoint(path):
    """A checkpoint of another architecture (keys and shapes of none of ours)."""
    torch.save({'state_dict': {'roads.head.weight': torch.zeros(3, 8),
                               'roads.head.bias': torch.zeros(3)}, 'meta': {}}, path)
    return path


class Net(nn.Module):

    def __init__(self, classes=2):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)
        self.bn = nn.BatchNorm2d(4)
        self.head = nn.Linear(4, classes)


def test_mismatch_paragraph_counts_and_names_keys():
    state = Net(classes=3).state_dict()
    del state['conv.bias']
    del state['bn.num_batches_tracked']              # never required (as in mmengine)
    state['extra.weight'] = torch.zeros(1)
    with pytest.raises(CheckpointMismatchError) as err:
        load_checkpoint_to_model(Net(), {'state_dict': state}, 'checkpoint "ckpt.pth"')
    text = str(err.value)
    assert '\n' not in text
    assert 'checkpoint "ckpt.pth" does not match the model of this config' in text
    assert 'model tensors missing from it: 1 (e.g. conv.bias)' in text
    assert 'tensors of it not in the model: 1 (e.g. extra.weight)' in text
    assert ('tensors of another shape: 2 (e.g. head.weight: checkpoint [3, 4] vs model '
            '[2, 4], head.bias: checkpoint [3] vs model [2])') in text
    assert '--cfg-options load_strict=False' in text


def test_matching_checkpoint_loads_and_non_strict_loads_the_matching_part():
    source, target = Net(), Net()
    load_checkpoint_to_model(target, {'state_dict': source.state_dict()}, 'a.pth')
    assert torch.equal(target.conv.weight, source.conv.weight)
    other, target = Net(classes=3), Net()
    head = target.head.weight.detach().clone()
    load_checkpoint_to_model(target, {'state_dict': {'module.' + k: v for k, v in
                                                     other.state_dict().items()}},
                             'b.pth', strict=False)
    assert torch.equal(target.conv.weight, other.conv.weight)   # 'module.' stripped
    assert torch.equal(target.head.weight, head)                # mis-shaped: left as is


def test_distillation_checkpoint_into_a_single_model_says_how_to_extract():
    state = {'student.' + k: v for k, v in Net().state_dict().items()}
    with pytest.raises(CheckpointMismatchError, match='extract_student.py'):
        load_checkpoint_to_model(Net(), state, 'kd.pth')


def test_test_tool_refuses_checkpoint_of_another_model(tiny):
    tmp, cfg = tiny
    ckpt = _other_model_checkpoint(tmp / 'roads.pth')
    res = run_tool('test.py', cfg, ckpt, '--work-dir', tmp / 'wd')
    _assert_user_error(res, f'checkpoint "{ckpt}" does not match the model of this config',
                       'model tensors missing from it: 117 (e.g. backbone.stem.0.weight',
                       'tensors of it not in the model: 2 (e.g. roads.head.weight, '
                       'roads.head.bias)',
                       'load_strict=False')
    assert 'Iter(test)' not in res.stdout      # nothing was evaluated


def test_resume_is_strict(tiny):
    tmp, cfg = tiny
    ckpt = _other_model_checkpoint(tmp / 'roads.pth')
    torch.save(dict(torch.load(ckpt), meta={'epoch': 0, 'iter': 2}), tmp / 'resume.pth')
    res = run_tool('train.py', cfg, '--work-dir', tmp / 'wd', '--resume', tmp / 'resume.pth')
    _assert_user_error(res, 'resume.pth" does not match the model', 'load_strict=False')
    assert not (tmp / 'wd' / 'iter_4.pth').exists()


def test_load_from_is_strict_unless_load_strict_false(tiny, monkeypatch):
    """In this process: a fresh run with load_from of another model."""
    sys.path.insert(0, str(REPO / 'tools'))
    from train import main
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    tmp, cfg = tiny
    ckpt = _other_model_checkpoint(tmp / 'roads.pth')
    with pytest.raises(SystemExit) as exit_:
        main([cfg, '--work-dir', str(tmp / 'a'), '--cfg-options', f'load_from={ckpt}',
              'experiment_name=strict-a', 'visualizer.name=strict-a'])
    assert exit_.value.code == 2
    main([cfg, '--work-dir', str(tmp / 'b'), '--cfg-options', f'load_from={ckpt}',
          'load_strict=False', 'experiment_name=strict-b', 'visualizer.name=strict-b'])
    assert (tmp / 'b' / 'iter_4.pth').exists()


def test_partial_loading_configs_say_so():
    """EO pre-training -> SAR fine-tuning loads all but the stem conv on purpose."""
    for name in ('fcn_r18-hfam-eo-pre_1xb8-quick_synth-spacenet6-sar-64x64',
                 'fcn_r50-hfam-eo-pre_1xb8-20k_spacenet6-sar-512x512'):
        cfg = Config.fromfile(REPO / 'configs' / 'hfd' / f'{name}.py')
        assert cfg.load_strict is False


def test_missing_teacher_checkpoint_is_one_paragraph(tiny):
    from test_resume_exact import DISTILL
    tmp, cfg = tiny
    text = open(cfg).read() + DISTILL.replace('allow_random_teacher=True',
                                              f"teacher_ckpt='{tmp}/teacher.pth'")
    (tmp / 'kd.py').write_text(text)
    res = run_tool('train.py', tmp / 'kd.py', '--work-dir', tmp / 'wd')
    _assert_user_error(res, f"teacher 'teacher' checkpoint '{tmp}/teacher.pth' does not exist",
                       'model.teacher_ckpt=PATH')
